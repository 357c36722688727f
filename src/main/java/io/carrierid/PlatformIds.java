package io.carrierid;

/**
 * A platform thread's ids, looked up once per thread: a platform thread runs on
 * one OS thread and one JavaThread for its whole life, so caching is exact
 * there (and only there: a virtual thread's carrier changes, so
 * {@link Dispatch} never consults this cache for one). Used only once the
 * decision is published, so nothing provisional is ever cached.
 *
 * <p>The cached value is a {@code long[]}, a class of the bootstrap loader: a
 * long-lived thread's map then holds nothing of carrierid's class loader, and
 * an application server can unload it.
 */
final class PlatformIds {
    static final int TID = 0;
    static final int JAVA_THREAD = 1;
    /** Carrier.index(), once asked (-1 before): a live platform thread keeps its index. */
    static final int INDEX = 2;

    /**
     * Per platform thread (an anonymous subclass, not withInitial: see Init on lambdas). Filled
     * from the kernel's and HotSpot's own answers (gettid, eetop) wherever libcarrierid is
     * loaded, never from the TLS walk: those are exact on every kind of platform thread, also on
     * one HotSpot did not start (the launcher's main thread, an embedder's primordial thread,
     * JNI-attached and FFM-upcall threads), and cost one syscall per thread's life.
     */
    private static final ThreadLocal<long[]> CACHE = new ThreadLocal<long[]>() {
        @Override
        protected long[] initialValue() {
            if (Active.NATIVE_LOADED) {
                return new long[] {Native.gettid(), Native.eetop(Thread.currentThread()), -1};
            }
            long tid = Active.PATH == Diagnostics.Path.UNAVAILABLE ? -1 : Dispatch.osThreadIdJni();
            return new long[] {tid, 0, -1};
        }
    };

    /**
     * The tid and the JavaThread alone, boxed (Long: a bootstrap class too): osThreadId() and
     * javaThreadAddress() then read one field of what the map holds, without an array's length
     * check (JMH on 25: 1.34 ns against 1.51 through the array, ThreadLocal.get() 1.06).
     */
    private static final ThreadLocal<Long> TIDS = new ThreadLocal<Long>() {
        @Override
        protected Long initialValue() {
            return current()[TID];
        }
    };
    private static final ThreadLocal<Long> JAVA_THREADS = new ThreadLocal<Long>() {
        @Override
        protected Long initialValue() {
            return current()[JAVA_THREAD];
        }
    };

    private PlatformIds() {}

    /**
     * The calling platform thread's ids, at {@link #TID} (-1 where none exists), {@link #JAVA_THREAD}
     * and {@link #INDEX} (filled by Dispatch.index() at its first call on this thread).
     */
    static long[] current() {
        return CACHE.get();
    }

    /** This platform thread's tid (see {@link #TIDS}). */
    static long tid() {
        return TIDS.get();
    }

    /** This platform thread's JavaThread (see {@link #TIDS}). */
    static long javaThread() {
        return JAVA_THREADS.get();
    }

    /** Initialises this class (on carrierid-init). */
    static void touch() {}
}
