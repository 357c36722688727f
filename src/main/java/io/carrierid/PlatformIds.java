package io.carrierid;

/**
 * A platform thread's ids, looked up once per thread: a platform thread runs on
 * one OS thread and one JavaThread for its whole life, so caching is exact
 * there (and only there: a virtual thread's carrier changes, so
 * {@link Dispatch} never consults this cache for one). Used only once the
 * decision is published, so nothing provisional is ever cached.
 *
 * <p>Each id is kept boxed ({@code Long}, {@code Integer}: classes of the
 * bootstrap loader): a long-lived thread's map then holds nothing of
 * carrierid's class loader, and an application server can unload it. One
 * ThreadLocal per id, so that a call reads one field of what the map holds
 * (JMH on 25: osThreadId() 1.34 ns through a {@code Long}, 1.51 through a
 * {@code long[]} and its length check; ThreadLocal.get() 1.06).
 *
 * <p>The ThreadLocals are anonymous subclasses, not withInitial: see Init on
 * lambdas. The tid and the JavaThread come from the kernel's and HotSpot's own
 * answers (gettid, eetop) wherever libcarrierid is loaded, never from the TLS
 * walk: those are exact on every kind of platform thread, also on one HotSpot
 * did not start (the launcher's main thread, an embedder's primordial thread,
 * JNI-attached and FFM-upcall threads), and cost one syscall per thread's life.
 */
final class PlatformIds {
    /** The tid; -1 where none exists (Diagnostics.Path.UNAVAILABLE). */
    private static final ThreadLocal<Long> TIDS = new ThreadLocal<Long>() {
        @Override
        protected Long initialValue() {
            if (Active.NATIVE_LOADED) {
                return Native.gettid();
            }
            return Active.PATH == Diagnostics.Path.UNAVAILABLE ? -1 : Dispatch.osThreadIdJni();
        }
    };

    /** The JavaThread; 0 without libcarrierid. */
    private static final ThreadLocal<Long> JAVA_THREADS = new ThreadLocal<Long>() {
        @Override
        protected Long initialValue() {
            return Active.NATIVE_LOADED ? Native.eetop(Thread.currentThread()) : 0;
        }
    };

    /** Carrier.index(), once asked (null before: Dispatch.index() sets it): a live platform thread keeps its index. */
    private static final ThreadLocal<Integer> INDEXES = new ThreadLocal<>();

    private PlatformIds() {}

    /** This platform thread's tid. */
    static long tid() {
        return TIDS.get();
    }

    /** This platform thread's JavaThread. */
    static long javaThread() {
        return JAVA_THREADS.get();
    }

    /** This platform thread's carrier index, or null before Dispatch.index() has set it. */
    static Integer index() {
        return INDEXES.get();
    }

    static void setIndex(int index) {
        INDEXES.set(index);
    }

    /** Initialises this class (on carrierid-init). */
    static void touch() {}
}
