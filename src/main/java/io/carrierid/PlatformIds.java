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

    /** Per platform thread (an anonymous subclass, not withInitial: see Init on lambdas). */
    private static final ThreadLocal<long[]> CACHE = new ThreadLocal<long[]>() {
        @Override
        protected long[] initialValue() {
            long tid = Active.PATH == Diagnostics.Path.UNAVAILABLE ? -1 : Dispatch.osThreadIdJni();
            return new long[] {tid, Dispatch.javaThreadAddressJni()};
        }
    };

    private PlatformIds() {}

    /** The calling platform thread's ids, at {@link #TID} (-1 where none exists) and {@link #JAVA_THREAD}. */
    static long[] current() {
        return CACHE.get();
    }

    /** Initialises this class (on carrierid-init). */
    static void touch() {}
}
