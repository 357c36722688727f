package io.carrierid;

/**
 * Routes each call of {@link Carrier} to the path the published decision
 * chose ({@link Active}). Used only once {@link Init#ready()}: until then
 * {@link Provisional} answers.
 */
final class Dispatch {
    private Dispatch() {}

    static long osThreadId() {
        if (Active.PATH == Diagnostics.Path.UNAVAILABLE) { // a static final: folded away by the JIT
            throw unavailable();
        }
        if (!Threads.isVirtual(Thread.currentThread())) {
            return PlatformIds.current()[PlatformIds.TID]; // a platform thread's tid never changes: cached
        }
        return osThreadIdNow();
    }

    static long javaThreadAddress() {
        if (!Threads.isVirtual(Thread.currentThread())) {
            return PlatformIds.current()[PlatformIds.JAVA_THREAD]; // fixed for a platform thread's life: cached
        }
        return javaThreadAddressNow();
    }

    /** The active path, uncached; on 22+ through FFM once it is set up (only virtual threads come here). */
    static long osThreadIdNow() {
        if (Active.FFM_POSSIBLE) {
            if (Init.ffmReady()) {
                try {
                    return (long) ActiveFfm.OS_THREAD_ID.invokeExact(Active.SLOT, Active.OS_THREAD_OFFSET,
                            Active.THREAD_ID_OFFSET);
                } catch (Throwable t) {
                    throw new IllegalStateException(t); // a critical downcall of three loads: never
                }
            }
            Init.wantFfm();
        }
        return osThreadIdJni();
    }

    /** Through JNI (or the portable path): what fills a platform thread's cache. */
    static long osThreadIdJni() {
        if (Active.FAST) {
            return Native.osThreadId0(Active.SLOT, Active.OS_THREAD_OFFSET, Active.THREAD_ID_OFFSET);
        }
        switch (Active.PATH) {
            case PORTABLE_JNI:
                return Native.gettid();
            case PORTABLE_FFM:
                return Portable.ffmTid();
            case PORTABLE_PROC:
                return Portable.procTid();
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

    /** The active path, uncached. */
    static long javaThreadAddressNow() {
        if (Active.FFM_POSSIBLE) {
            if (Init.ffmReady()) {
                try {
                    return (long) ActiveFfm.JAVA_THREAD.invokeExact(Active.SLOT);
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
            }
            Init.wantFfm();
        }
        return javaThreadAddressJni();
    }

    /** Through JNI: the calling OS thread's JavaThread (a virtual thread's carrier's), or 0 without the library. */
    static long javaThreadAddressJni() {
        if (Active.FAST) {
            return Native.javaThreadAddress0(Active.SLOT);
        }
        return Active.NATIVE_LOADED ? Provisional.javaThreadAddress() : 0;
    }
}
