package io.carrierid;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;

/**
 * The fast path with no native call, for JVMs that open {@code java.lang} to carrierid
 * ({@code --add-opens java.base/java.lang=io.carrierid}, or {@code =ALL-UNNAMED} on the
 * class path), as profilers and APM agents often do: the carrier is the current thread, or a
 * virtual thread's {@code carrierThread} field ({@link #carrier}; {@code Thread.currentCarrierThread()}
 * where that field is not had), its {@code JavaThread*} is its {@code eetop} field, and the kernel tid is
 * two loads further, at the offsets Setup verified for the native walk ({@code OSThread*},
 * then its thread id). Memory is read through {@code jdk.internal.misc.Unsafe} where the JVM
 * also exports that package to carrierid (the fastest: plain loads), else through an unbounded
 * {@code MemorySegment} on JDK 22+ where native access is enabled for carrierid (bounds and
 * liveness checks: about half a nanosecond more), else through {@code sun.misc.Unsafe} before
 * JDK 24 (from 24 on it warns at its first use, so it is not used there).
 *
 * <p>Where {@code java.lang} is not open, on JDK 17 to 22 (where {@code sun.misc.Unsafe} never
 * warns, and no option can make it), platform threads are served the same way with no flag at all:
 * the carrier is the current thread, its {@code eetop} is read through {@code sun.misc.Unsafe} at
 * the field's offset ({@code objectFieldOffset}: a field's offset is had without opening anything),
 * and the rest as above. Virtual threads keep their native path there: their carrier needs
 * {@code currentCarrierThread()}, which is private.
 *
 * <p>Made on carrierid-init by {@link Setup}, verified there against {@code gettid} and the TLS
 * walk on several threads (and from a virtual thread by {@link VirtualPath} before one is
 * served), and used only then ({@link ActiveInternals}). {@code -Dcarrierid.internals=off}
 * keeps the native path even where {@code java.lang} is open.
 */
final class JdkInternals {
    static final String PROPERTY = "carrierid.internals";

    /**
     * The handles, all of fixed types: {@code currentCarrier} ()Thread, {@code eetop} (Thread)long,
     * {@code readLong} (long)long and {@code readInt} (long)int (an address in this process);
     * {@code memory}: how memory is read, for reports; {@code everyThread}: false where only platform
     * threads may be served ({@code currentCarrier} is then {@code Thread.currentThread()});
     * {@code mountedCarrier}: a {@code java.lang.VirtualThread}'s private {@code carrierThread} field
     * (see {@link #carrier}), null where not had;
     * {@code threadLocalGet} (ThreadLocal, Thread)Object and {@code threadLocalSet} (ThreadLocal, Thread,
     * Object)void: {@code ThreadLocal}'s private {@code get(Thread)} and {@code set(Thread, T)} (21+,
     * java.lang open), with which {@link CarrierLocal} keeps its cache in a virtual thread's carrier's
     * map, as the JDK's own {@code CarrierThreadLocal} does; null where not had.
     */
    record Handles(MethodHandle currentCarrier, MethodHandle eetop, MethodHandle readLong, MethodHandle readInt,
                   String memory, boolean everyThread, MountedCarrier mountedCarrier, MethodHandle threadLocalGet,
                   MethodHandle threadLocalSet) {
        Handles(MethodHandle currentCarrier, MethodHandle eetop, MethodHandle readLong, MethodHandle readInt,
                String memory, boolean everyThread) {
            this(currentCarrier, eetop, readLong, readInt, memory, everyThread, null, null, null);
        }

        Handles withMountedCarrier(MountedCarrier mounted) {
            return new Handles(currentCarrier, eetop, readLong, readInt, memory, everyThread, mounted, threadLocalGet,
                    threadLocalSet);
        }

        Handles withThreadLocals(MethodHandle get, MethodHandle set) {
            return new Handles(currentCarrier, eetop, readLong, readInt, memory, everyThread, mountedCarrier, get, set);
        }
    }

    /** The last feature release whose sun.misc.Unsafe never warns (23 has an option that makes it warn). */
    private static final int LAST_QUIET_UNSAFE = 22;

    private JdkInternals() {}

    /**
     * Empty when the JVM opens java.lang to carrierid, or (platform threads only) runs JDK 17 to 22,
     * and nobody said no; else why not, for the report.
     */
    static String unwanted() {
        String setting = Property.get(PROPERTY, "auto").strip();
        if (setting.equals("off")) {
            return "not used: -D" + PROPERTY + "=off";
        }
        if (!javaLangOpen() && Runtime.version().feature() > LAST_QUIET_UNSAFE) {
            String name = NativeAccess.moduleName();
            return "not used: java.lang is not open to carrierid (--add-opens java.base/java.lang="
                    + (name == null ? "ALL-UNNAMED" : name) + " would let it read the ids with no native call)";
        }
        return "";
    }

    static boolean javaLangOpen() {
        return Thread.class.getModule().isOpen("java.lang", JdkInternals.class.getModule());
    }

    /** Makes the handles; throws where this JVM offers no way (the exception says which part). */
    static Handles open() throws ReflectiveOperationException {
        if (!javaLangOpen()) {
            return platformThreadsOnly();
        }
        Handles reads = everyThread().withMountedCarrier(mountedCarrier());
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(ThreadLocal.class, MethodHandles.lookup());
            return reads.withThreadLocals(
                    lookup.findVirtual(ThreadLocal.class, "get", MethodType.methodType(Object.class, Thread.class)),
                    lookup.findVirtual(ThreadLocal.class, "set", MethodType.methodType(void.class, Thread.class,
                            Object.class)));
        } catch (NoSuchMethodException e) {
            return reads; // before 21, or another layout of ThreadLocal: CarrierLocal does without
        }
    }

    /**
     * A virtual thread's carrier by its own field: {@code virtualThread} is {@code java.lang.VirtualThread}
     * (a final class: one class compare), {@code carrierThread} (Thread)Thread its getter, only for one.
     * A record: kept in a static final (ActiveInternals), the JIT trusts its fields.
     */
    record MountedCarrier(Class<?> virtualThread, MethodHandle carrierThread) {}

    /**
     * java.lang open, 19+: VirtualThread's {@code carrierThread} getter; null where this JDK has no such field.
     * The class test is left to {@link #carrier} (plain Java): a guarding method handle would spin forms on
     * carrierid-init (guardWithTest measured 1.7-6 ms there on 25, this 0.4-0.7 ms).
     */
    private static MountedCarrier mountedCarrier() {
        try {
            // Not initialised (that would start the virtual threads' scheduler); a getter does not initialise it.
            Class<?> virtualThread = Class.forName("java.lang.VirtualThread", false, null);
            MethodHandle field = MethodHandles.privateLookupIn(virtualThread, MethodHandles.lookup())
                    .findGetter(virtualThread, "carrierThread", Thread.class);
            return new MountedCarrier(virtualThread, field.asType(MethodType.methodType(Thread.class, Thread.class)));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // before 19, another layout, or a SecurityManager's no: the carrier by currentCarrierThread()
        }
    }

    /**
     * The platform thread running the caller, by {@code mounted} and {@code currentCarrier} (a Handles'
     * own, see there): the current thread itself where it is not a virtual thread (only a virtual thread
     * is ever mounted on another; {@code Thread.currentThread()} is the JIT's loop-invariant read,
     * {@code currentCarrierThread()} is not); a mounted virtual thread's {@code carrierThread} field (set
     * before it runs on that carrier, cleared only after it has stopped running there, so read by the
     * thread itself it is its carrier; one load); else (a virtual thread bound to an OS thread of its own),
     * or where that reads null (never seen), {@code currentCarrier}. Verified with the rest ({@link #verifyHere}).
     */
    static Thread carrier(MountedCarrier mounted, MethodHandle currentCarrier) throws Throwable {
        Thread current = Thread.currentThread();
        if (!Threads.isVirtual(current)) {
            return current;
        }
        Thread carrier = mounted != null && mounted.virtualThread().isInstance(current)
                ? (Thread) mounted.carrierThread().invokeExact(current) : null;
        return carrier != null ? carrier : (Thread) currentCarrier.invokeExact();
    }

    /** java.lang open: the carrier by Thread.currentCarrierThread() (every thread), its eetop, memory reads. */
    private static Handles everyThread() throws ReflectiveOperationException {
        MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup());
        MethodHandle currentCarrier;
        try {
            currentCarrier = lookup.findStatic(Thread.class, "currentCarrierThread", MethodType.methodType(Thread.class));
        } catch (NoSuchMethodException e) { // before 19: every thread is its own carrier
            currentCarrier = lookup.findStatic(Thread.class, "currentThread", MethodType.methodType(Thread.class));
        }
        MethodHandle eetop = lookup.findGetter(Thread.class, "eetop", long.class);
        if (Object.class.getModule().isExported("jdk.internal.misc", JdkInternals.class.getModule())) {
            return internalUnsafeReads(currentCarrier, eetop);
        }
        Boolean access = NativeAccess.enabled();
        if (Downcalls.available() && Boolean.TRUE.equals(access)) {
            return segmentReads(currentCarrier, eetop);
        }
        if (Runtime.version().feature() < 24) {
            return unsafeReads(currentCarrier, eetop);
        }
        throw new UnsupportedOperationException("no way to read memory without a warning: native access is not"
                + " enabled for " + NativeAccess.moduleName() + " (and sun.misc.Unsafe warns from JDK 24 on)");
    }

    /**
     * Reads through {@code MemorySegment.NULL.reinterpret(Long.MAX_VALUE)} (22+, a restricted method),
     * by the layouts' var handles made method handles: static code the JIT inlines whole (a handle
     * to the interface method {@code MemorySegment.get} it would call through the interface).
     */
    private static Handles segmentReads(MethodHandle currentCarrier, MethodHandle eetop) throws ReflectiveOperationException {
        Heap.requireHeadroom("initialise the FFM API's classes");
        Class<?> segmentClass = Class.forName("java.lang.foreign.MemorySegment");
        Class<?> layouts = Class.forName("java.lang.foreign.ValueLayout");
        Object everything = segmentClass.getMethod("reinterpret", long.class)
                .invoke(segmentClass.getField("NULL").get(null), Long.MAX_VALUE);
        // The unaligned layouts: the same loads (the fields are aligned), without an alignment check each.
        return new Handles(currentCarrier, eetop, read(layouts.getField("JAVA_LONG_UNALIGNED").get(null), everything, long.class),
                read(layouts.getField("JAVA_INT_UNALIGNED").get(null), everything, int.class), "an unbounded MemorySegment", true);
    }

    /** {@code (long address)type}: the layout's var handle (coordinates segment, base, offset 0) on {@code everything}. */
    private static MethodHandle read(Object layout, Object everything, Class<?> type) throws ReflectiveOperationException {
        VarHandle handle = (VarHandle) Class.forName("java.lang.foreign.ValueLayout").getMethod("varHandle").invoke(layout);
        MethodHandle get = handle.toMethodHandle(VarHandle.AccessMode.GET); // (MemorySegment, long)type on 22+
        if (get.type().parameterCount() != 2 || get.type().returnType() != type) {
            throw new NoSuchMethodException("unexpected var handle for " + layout + ": " + get.type());
        }
        return MethodHandles.insertArguments(get, 0, everything);
    }

    /**
     * Reads through {@code jdk.internal.misc.Unsafe}, where the JVM exports its package to carrierid
     * ({@code --add-exports java.base/jdk.internal.misc=...}): plain loads, no checks, no warning.
     */
    private static Handles internalUnsafeReads(MethodHandle currentCarrier, MethodHandle eetop)
            throws ReflectiveOperationException {
        Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
        Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
        // Exported to carrierid's module only, not to all: found through carrierid's own lookup.
        return unsafeReads(MethodHandles.lookup(), unsafeClass, unsafe, currentCarrier, eetop, unsafeClass.getName(), true);
    }

    /** Reads through {@code sun.misc.Unsafe} (before 24; module jdk.unsupported, open to all). */
    private static Handles unsafeReads(MethodHandle currentCarrier, MethodHandle eetop) throws ReflectiveOperationException {
        Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
        return unsafeReads(MethodHandles.publicLookup(), unsafeClass, sunMiscUnsafe(unsafeClass), currentCarrier, eetop,
                unsafeClass.getName(), true);
    }

    private static Object sunMiscUnsafe(Class<?> unsafeClass) throws ReflectiveOperationException {
        Field field = unsafeClass.getDeclaredField("theUnsafe");
        field.setAccessible(true); // sun.misc is open to all (jdk.unsupported)
        return field.get(null);
    }

    /**
     * JDK 17 to 22 without java.lang open: the current thread (so platform threads only), its eetop
     * through {@code sun.misc.Unsafe.getLong(Object, long)} at the field's offset, then as above.
     */
    private static Handles platformThreadsOnly() throws ReflectiveOperationException {
        if (Runtime.version().feature() > LAST_QUIET_UNSAFE) {
            throw new UnsupportedOperationException("java.lang is not open to carrierid");
        }
        Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
        Object unsafe = sunMiscUnsafe(unsafeClass);
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        MethodHandle eetop = threadLongField("eetop");
        MethodHandle currentThread = lookup.findStatic(Thread.class, "currentThread", MethodType.methodType(Thread.class));
        return unsafeReads(lookup, unsafeClass, unsafe, currentThread, eetop, "sun.misc.Unsafe at eetop's field offset",
                false);
    }

    /**
     * (Thread)long: a {@code long} field of {@code Thread} read through {@code sun.misc.Unsafe.getLong(Object,
     * long)} at the field's offset (a field's offset is had without opening anything); JDK 17 to 22 only,
     * where it never warns.
     */
    static MethodHandle threadLongField(String name) throws ReflectiveOperationException {
        if (Runtime.version().feature() > LAST_QUIET_UNSAFE) {
            throw new UnsupportedOperationException("sun.misc.Unsafe warns on JDK " + Runtime.version().feature());
        }
        Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
        Object unsafe = sunMiscUnsafe(unsafeClass);
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        // A method handle, not Class.getMethod: listing sun.misc.Unsafe's public methods and a first
        // reflective call took 28 ms on 17 (a method handle: about 1 ms).
        MethodHandle fieldOffset = lookup.findVirtual(unsafeClass, "objectFieldOffset",
                MethodType.methodType(long.class, Field.class)).bindTo(unsafe);
        long offset;
        try {
            offset = (long) fieldOffset.invokeExact(Thread.class.getDeclaredField(name));
        } catch (RuntimeException | Error | ReflectiveOperationException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t); // it declares no checked exception
        }
        MethodHandle getLongOf = lookup.findVirtual(unsafeClass, "getLong",
                MethodType.methodType(long.class, Object.class, long.class)).bindTo(unsafe);
        return MethodHandles.insertArguments(getLongOf, 1, offset).asType(MethodType.methodType(long.class, Thread.class));
    }

    /** Reads through {@code unsafe}'s {@code getLong(long)} and {@code getInt(long)}, bound to it. */
    private static Handles unsafeReads(MethodHandles.Lookup lookup, Class<?> unsafeClass, Object unsafe,
                                       MethodHandle currentCarrier, MethodHandle eetop, String memory,
                                       boolean everyThread) throws ReflectiveOperationException {
        MethodHandle getLong = lookup.findVirtual(unsafeClass, "getLong", MethodType.methodType(long.class, long.class));
        MethodHandle getInt = lookup.findVirtual(unsafeClass, "getInt", MethodType.methodType(int.class, long.class));
        return new Handles(currentCarrier, eetop, getLong.bindTo(unsafe), getInt.bindTo(unsafe), memory, everyThread);
    }

    /**
     * The JavaThread and tid these handles give on the calling thread: {@code {javaThread, tid}}
     * ({@code tid} -1 where the JavaThread is 0). For verification: not the hot path (the handles
     * are not constants here).
     */
    static long[] readHere(Handles handles, Offsets offsets) throws Throwable {
        Thread carrier = carrier(handles.mountedCarrier(), handles.currentCarrier());
        long javaThread = (long) handles.eetop().invokeExact(carrier);
        if (javaThread == 0) {
            return new long[] {0, -1};
        }
        long osThread = (long) handles.readLong().invokeExact(javaThread + offsets.osThread());
        if (osThread == 0) {
            return new long[] {javaThread, -1};
        }
        return new long[] {javaThread, (int) handles.readInt().invokeExact(osThread + offsets.threadId())};
    }

    /**
     * Empty when, on this thread (a platform thread, or a virtual one on its carrier), the handles give
     * gettid's tid and the TLS walk's JavaThread; else what differed.
     */
    static String verifyHere(Handles handles, Offsets offsets, long slot) throws Throwable {
        long[] seen = readHere(handles, offsets);
        long tid = Native.gettid();
        long walked = Native.javaThreadAddress0(slot);
        if (seen[1] != tid || seen[0] != walked) {
            return "on " + Thread.currentThread().getName() + ": eetop " + Offsets.hex(seen[0]) + " (TLS walk "
                    + Offsets.hex(walked) + "), tid " + seen[1] + " (gettid " + tid + ")";
        }
        return "";
    }

    /**
     * Empty where {@code threadLocalGet} and {@code threadLocalSet} (if had) do on the calling thread
     * what {@code ThreadLocal.get()} and {@code set()} do; else what differed. Run on carrierid-init
     * (a platform thread, as the carriers whose maps they serve).
     */
    static String threadLocalsHere(Handles handles) throws Throwable {
        if (handles.threadLocalGet() == null) {
            return "";
        }
        ThreadLocal<Object> local = new ThreadLocal<>();
        Object mine = new Object();
        Object before = (Object) handles.threadLocalGet().invokeExact(local, Thread.currentThread());
        handles.threadLocalSet().invokeExact(local, Thread.currentThread(), mine);
        if (before != null || local.get() != mine) {
            return "ThreadLocal's get(Thread) and set(Thread, T) do not act as get() and set()";
        }
        local.set(before);
        return (Object) handles.threadLocalGet().invokeExact(local, Thread.currentThread()) == null ? ""
                : "ThreadLocal's get(Thread) does not see what set() put";
    }
}
