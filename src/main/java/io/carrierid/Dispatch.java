package io.carrierid;

/**
 * Routes each call of {@link Carrier} to the path the published decision
 * chose ({@link Active}). Used only once {@link Init#ready()}: until then
 * {@link Provisional} answers.
 */
final class Dispatch {
    private Dispatch() {}

    /**
     * The JDK-internals path serves this caller: a platform thread, or any once a virtual thread checked
     * it. Only once the decision is published (it reads Active). Static finals first (before JDK 21 the
     * kind is a constant false); once that path serves every thread, the kind is not asked.
     */
    private static boolean internals() {
        return Active.INTERNALS && (internalsForAll() || !Threads.isVirtual(Thread.currentThread()));
    }

    /** {@link #internals()} for a caller whose kind is known. */
    private static boolean internals(boolean virtual) {
        return Active.INTERNALS && (!virtual || internalsForAll());
    }

    /**
     * The JDK-internals path serves virtual threads too (checked from them); static finals first, then a
     * switch the JIT folds ({@link Switches#INTERNALS}). Reads Active.
     */
    static boolean internalsForAll() {
        return Active.INTERNALS_EVERY_THREAD && Threads.haveVirtualThreads() && Switches.INTERNALS.on();
    }

    /**
     * Whether every thread's ids are looked up by its carrier's Java id ({@link PlatformIds}; a platform
     * thread is its own carrier): where the JDK-internals path serves virtual threads (it reads the
     * carrier with no native call) and thread ids are had ({@link ThreadSlots#KEYED}).
     */
    static boolean carrierIds() {
        return ThreadSlots.KEYED && internalsForAll();
    }

    /**
     * Where {@link #carrierIds()}: the tid of the caller's carrier (itself for a platform thread) by
     * the carrier's Java id. Else a platform thread's cached tid ({@link PlatformIds#tid()}: two loads
     * from ThreadSlots' table where the thread's Java id is had, fewer than the JDK-internals walk,
     * which serves where it is not); a virtual thread's through the JDK-internals walk where it serves virtual threads, else the
     * native path. The kind is asked first: a virtual thread's id is in no slot, and JMH on 25 measured
     * the order faster for both kinds (virtual, no flags: 1.04-1.06x the FFM no-op against 1.17-1.19x;
     * platform, java.lang open: 0.54-0.59x ThreadLocal.get() against 0.63-0.65x).
     */
    static long osThreadId() {
        if (Active.PATH == Diagnostics.Path.UNAVAILABLE) { // a static final: folded away by the JIT
            throw unavailable();
        }
        if (carrierIds()) {
            return PlatformIds.carrierTid(); // a carrier's tid is fixed for its life
        }
        boolean virtual = Threads.isVirtual(Thread.currentThread()); // before 21 a constant false
        if (!virtual && (ThreadSlots.KEYED || !Active.INTERNALS)) {
            return PlatformIds.tid(); // a platform thread's tid never changes: cached (its slot first)
        }
        if (internals(virtual)) {
            long tid = ActiveInternals.osThreadId();
            return tid > 0 ? tid : Native.gettid(); // -1: no JavaThread or OSThread (never seen on a live carrier)
        }
        return osThreadIdNow();
    }

    static long javaThreadAddress() {
        if (internals()) {
            long address = ActiveInternals.javaThreadAddress();
            return address != 0 ? address : Provisional.javaThreadAddress();
        }
        if (!Threads.isVirtual(Thread.currentThread())) {
            return PlatformIds.javaThread(); // fixed for a platform thread's life: cached
        }
        return javaThreadAddressNow();
    }

    /**
     * For a virtual thread: the active path, uncached, the way {@link VirtualPath} says (on 22+
     * through FFM once it is set up and checked).
     */
    static long osThreadIdNow() {
        if (Active.FAST) {
            int mode = VirtualPath.mode();
            if (mode == VirtualPath.FFM) {
                long tid;
                try {
                    tid = (long) ActiveFfm.OS_THREAD_ID.invokeExact(Active.SLOT, Active.OS_THREAD_OFFSET,
                            Active.THREAD_ID_OFFSET);
                } catch (Throwable t) {
                    throw new IllegalStateException(t); // a critical downcall of three loads: never
                }
                return tid >= 0 ? tid : Native.gettid(); // -1: no JavaThread at the slot (thread_pointer.S)
            }
            if (mode == VirtualPath.GETTID) {
                return Native.gettid();
            }
        }
        return osThreadIdJni();
    }

    /** Through JNI (or the portable path): what fills a platform thread's cache. */
    static long osThreadIdJni() {
        if (Active.FAST) {
            long tid = Native.osThreadId0(Active.SLOT, Active.OS_THREAD_OFFSET, Active.THREAD_ID_OFFSET);
            return tid >= 0 ? tid : Native.gettid(); // -1: no JavaThread at the slot (thread_pointer.S)
        }
        switch (Active.PATH) {
            case PORTABLE_JNI:
                return Native.gettid();
            case PORTABLE_FFM:
                return Portable.ffmTid();
            case PORTABLE_PROC:
                return ProcThreadSelf.tid();
            default:
                throw unavailable();
        }
    }

    /** What osThreadId() throws where no kernel tid is to be had (Diagnostics.Path.UNAVAILABLE). */
    static UnsupportedOperationException unavailable() {
        Diagnostics d = Active.OUTCOME.diagnostics();
        return new UnsupportedOperationException("carrierid: no kernel thread id on this JVM (" + d.os() + "): "
                + d.fallbackReason() + ". Ask Carrier.osThreadIdAvailable() first; for an id of the Java thread use "
                + "Thread.currentThread().threadId() (getId() before JDK 19)");
    }

    /** For a virtual thread: the active path, uncached, the way {@link VirtualPath} says. */
    static long javaThreadAddressNow() {
        if (Active.FAST) {
            int mode = VirtualPath.mode();
            if (mode == VirtualPath.FFM) {
                long address;
                try {
                    address = (long) ActiveFfm.JAVA_THREAD.invokeExact(Active.SLOT);
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
                return address != 0 ? address : Provisional.javaThreadAddress();
            }
            if (mode == VirtualPath.GETTID) {
                return Provisional.javaThreadAddress(); // the carrier's eetop, through JNI
            }
        }
        return javaThreadAddressJni();
    }

    /** Through JNI: the calling OS thread's JavaThread (a virtual thread's carrier's), or 0 without the library. */
    static long javaThreadAddressJni() {
        if (Active.FAST) {
            long address = Native.javaThreadAddress0(Active.SLOT);
            return address != 0 ? address : Provisional.javaThreadAddress();
        }
        return Active.NATIVE_LOADED ? Provisional.javaThreadAddress() : 0;
    }

    /**
     * Carrier.thread(): the caller, or a virtual thread's carrier now. On a virtual thread, the
     * carrier's Thread is found through its CarrierLocal key (CarrierKeys), which lives in the OS
     * thread's own storage and is read by an FFM critical downcall on 22+ (two loads at its slot
     * where one was found, see carrier_key.c), then two array loads: no JNI call back into Java. A
     * carrier without a key yet gets one here, unless another thread holds CarrierKeys' lock (then
     * JNI answers, and a later call registers it).
     * Nothing here blocks: between reading the key and returning the caller stays on one carrier,
     * so the answer is the carrier running it at the moment of the call, as for the other ids.
     */
    static Thread carrierThread() {
        if (Init.published() && internals()) { // called before publication too: Active only after it
            return ActiveInternals.carrier();
        }
        Thread current = Thread.currentThread();
        if (Init.readyOrLibrary() && Active.NATIVE_LOADED && Init.keysReady() && Threads.isVirtual(current)) {
            CarrierValues values = CarrierKeys.values(CarrierKeys.current());
            Thread carrier = values != null ? values.carrier() : CarrierKeys.carrierWithoutBlocking();
            if (carrier != null) {
                return carrier;
            }
        }
        return carrierThreadSlow();
    }

    /** Carrier.cpuTimeNanos(): the calling OS thread's clock through libcarrierid, else ThreadMXBean on the carrier. */
    static long cpuTimeNanos() {
        if (Init.readyOrLibrary() ? Active.NATIVE_LOADED : Init.library() == Init.LIBRARY_LOADED) {
            return Native.cpuTimeNanos(); // a native call pins a virtual thread: its carrier's clock
        }
        Thread carrier = carrierOrNull(); // without the library: reflective, the carrier of this moment
        return carrier != null ? PortableCpuClock.of(carrier) : -1;
    }

    /** Carrier.cpuTimeNanosOf(thread). */
    static java.util.OptionalLong cpuTimeNanosOf(Thread thread) {
        if (thread == Thread.currentThread()) {
            long nanos = cpuTimeNanos();
            return nanos >= 0 ? java.util.OptionalLong.of(nanos) : java.util.OptionalLong.empty();
        }
        boolean fast = Init.ready() && Active.FAST;
        Thread platform = platformThreadOf(thread);
        if (platform == null) {
            return java.util.OptionalLong.empty(); // a virtual thread not mounted
        }
        long nanos;
        if (fast) {
            nanos = Native.cpuTimeNanosOf(platform, Active.OS_THREAD_OFFSET, Active.THREAD_ID_OFFSET);
            if (nanos == Native.OS_THREAD_UNREADABLE) {
                throw new IllegalStateException("carrierid: verified offsets unreadable on a live thread: " + thread);
            }
        } else {
            nanos = platform.isAlive() ? PortableCpuClock.of(platform) : -1;
        }
        return nanos >= 0 ? java.util.OptionalLong.of(nanos) : java.util.OptionalLong.empty();
    }

    /**
     * The platform thread whose OS thread runs {@code thread} now: itself for a platform thread, and for
     * one bound to an OS thread of its own (-XX:-VMContinuations: it has an eetop); a virtual thread's
     * carrier (through JNI, else by reflection); null for a virtual thread not mounted, or whose carrier
     * cannot be read.
     */
    static Thread platformThreadOf(Thread thread) {
        if (!Threads.haveVirtualThreads() || !Threads.isVirtual(thread)) {
            return thread;
        }
        if (Init.library() == Init.LIBRARY_LOADED) {
            Thread carrier = Native.carrierOf(thread);
            return carrier != null || Native.eetop(thread) == 0 ? carrier : thread;
        }
        try {
            return ReflectiveCarrier.of(thread);
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }

    /** The calling thread, or a virtual thread's carrier now (JNI, else reflection); null where it cannot be read. */
    private static Thread carrierOrNull() {
        try {
            return carrierThreadSlow();
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }

    /**
     * Carrier.index(): the carrier's key's index, or the registry's where carriers cannot be told apart.
     * A platform thread's from its slot (a live platform thread keeps its index); a virtual thread's
     * carrier's from the carrier's slot where {@link #carrierIds()}, else from the carrier's key (one
     * downcall) once that key is seen to be valid.
     */
    static int index() {
        if (Init.keysSeenReady()) { // one plain read: published, libcarrierid loaded, CarrierKeys ready
            int index = -1;
            if (carrierIds()) {
                index = PlatformIds.carrierIndex(); // any thread: a platform thread is its own carrier
            } else if (!Threads.isVirtual(Thread.currentThread())) {
                index = PlatformIds.index();
            } else {
                CarrierValues[] tables = CarrierKeys.tables(); // first: one load fewer after the downcall
                long key = CarrierKeys.currentOfVirtual();
                if (CarrierKeys.values(tables, key) != null) { // the carrier's own key, not a former thread's
                    return CarrierKeys.index(key);
                }
            }
            if (index >= 0) {
                return index;
            }
        }
        return indexSlow();
    }

    /**
     * Kept out of index() so that it inlines: a thread's (or carrier's) first call, one before this
     * thread saw the keys ready (the same answers as index(), found the slower way), no library.
     */
    private static int indexSlow() {
        if (Init.ready() && Active.NATIVE_LOADED && Init.keysReady()) {
            if (!Threads.isVirtual(Thread.currentThread())) {
                return PlatformIds.claimedIndex();
            }
            long key = CarrierKeys.currentOfVirtual();
            if (CarrierKeys.values(key) == null) {
                key = CarrierKeys.validKey(); // this carrier's first use, or a stale key: once, under a lock
            }
            if (carrierIds()) {
                PlatformIds.claimCarrierIndex(key); // no blocking point since validKey(): still this carrier's
            }
            return CarrierKeys.index(key);
        }
        Thread carrier = carrierOrNull();
        return ThreadIndexes.of(carrier != null ? carrier : Thread.currentThread()); // no way to it: its own
    }

    /** The same through JNI (Thread.currentCarrierThread), or by reflection where the library is not loaded. */
    static Thread carrierThreadSlow() {
        Thread current = Thread.currentThread();
        if (!Init.published()) {
            Thread carrier = Init.library() == Init.LIBRARY_LOADED ? Native.currentCarrier() : null;
            if (carrier != null) {
                return carrier;
            }
            // Rare: a call made before the library is loaded, or where it cannot be.
            return Provisional.isVirtualThread(current) ? ReflectiveCarrier.of(current) : current;
        }
        if (!Threads.isVirtual(current)) {
            return current;
        }
        if (Active.NATIVE_LOADED) {
            Thread carrier = Native.currentCarrier();
            if (carrier != null) {
                return carrier;
            }
        }
        return ReflectiveCarrier.of(current);
    }
}
