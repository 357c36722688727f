package io.carrierid;

/**
 * Answers for a call that cannot use the decision because there is none yet:
 * a re-entrant call from code running inside carrierid's own initialisation, a
 * caller that waited {@value Init#WAIT_MILLIS} ms in vain, one between a
 * transient failure and the next try, and {@code osThreadId()} before the
 * decision is published (which does not wait for it). They need nothing unfinished: the
 * {@code gettid} syscall through JNI once libcarrierid is loaded, else the
 * kernel's {@code /proc/thread-self}; they are the same ids, slower, and are
 * never cached. No static initialiser: see {@link Init}.
 */
final class Provisional {
    private Provisional() {}

    /**
     * {@code osThreadId()} before the decision is published: answers, and starts the decision if it
     * is due. A platform thread answers first: carrierid-init and carrierid-preload, once started,
     * compete with it for the CPU (on two cores, a first call measured 9.8 ms claiming first, 5.7 ms
     * answering first with fewer classes on the caller's thread; medians of 10 fresh JVMs). A
     * virtual thread answers last: starting takes Init's monitor and starts threads, points where it
     * may leave its carrier, and an answer read before them could name the carrier it left (seen
     * under qemu-user, where the decision takes seconds and many virtual threads start it at once).
     * Waits only where no provisional path can answer (see {@link #osThreadId()}).
     */
    static long osThreadIdThenStart() {
        if (isVirtualThread(Thread.currentThread())) {
            Init.start();
            return osThreadId();
        }
        long tid = osThreadId();
        Init.start();
        return tid;
    }

    /**
     * Whether {@code thread} is a {@code java.lang.VirtualThread}: one that runs on a carrier and may
     * change it at a blocking point (a BoundVirtualThread, -XX:-VMContinuations, never leaves its OS
     * thread). Told by the class's name, not Threads.isVirtual: before the decision is published
     * Threads' initialiser must not run on a caller's stack (see Init).
     */
    static boolean isVirtualThread(Thread thread) {
        return thread.getClass().getName().equals("java.lang.VirtualThread");
    }

    static long osThreadId() {
        if (Init.library() == Init.LIBRARY_LOADED) {
            return Native.gettid();
        }
        try {
            return ProcThreadSelf.tid(); // never a foreign namespace's tid: it checks, and throws if so
        } catch (UnsupportedOperationException e) {
            // /proc cannot say (hidden, or another PID namespace's): only libcarrierid or the decision (FFM
            // on 22+) can, and on a slow host they may still be on their way. Waited for (bounded), not
            // thrown: this JVM may well have a way to the tid. Thrown only if none came.
            if (Init.awaitLibraryOrDecision(Init.LAST_RESORT_WAIT_MILLIS)) {
                return Init.published() ? Dispatch.osThreadId() : Native.gettid();
            }
            throw e;
        }
    }

    /** The JavaThread of the OS thread running the caller (eetop of it or its carrier); 0 without the library. */
    static long javaThreadAddress() {
        if (Init.library() != Init.LIBRARY_LOADED) {
            return 0;
        }
        Thread carrier = Native.currentCarrier(); // null before JDK 19: then the caller is a platform thread
        return Native.eetop(carrier != null ? carrier : Thread.currentThread());
    }

    /** A report for now: which way provisional answers are given, and why. */
    static Diagnostics diagnostics(String why) {
        boolean loaded = Init.library() == Init.LIBRARY_LOADED;
        return Diagnostics.builder()
                .path(loaded ? Diagnostics.Path.PORTABLE_JNI : Diagnostics.Path.PORTABLE_PROC)
                .fallback(Diagnostics.Fallback.INITIALISING, why + " (answers meanwhile are provisional: same ids, slower path)", null)
                .jvm(Property.get("java.vm.name", "?"), Property.get("java.vm.vendor", "?"), JvmVersion.text())
                .os(Platform.current().describe()).libc("not determined yet")
                .nativeLibrary(loaded ? "loaded, setup not finished" : "not loaded yet")
                .nativeAccess("not determined yet", Diagnostics.Access.NOT_RESTRICTED)
                .offsets(Diagnostics.OffsetSource.NOT_CONSULTED, "not consulted yet").tlsSlot("not probed yet")
                .build();
    }
}
