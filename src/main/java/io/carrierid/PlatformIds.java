package io.carrierid;

/**
 * A platform thread's ids, looked up once per thread: a platform thread runs on
 * one OS thread and one JavaThread for its whole life, so caching is exact
 * there (and only there: a virtual thread's carrier changes, so
 * {@link Carrier} never consults this cache for one).
 */
record PlatformIds(long tid, long javaThread) {
    /**
     * Per platform thread. An anonymous subclass, not ThreadLocal.withInitial(lambda):
     * this is created during the first call, where a lambda's bootstrap costs milliseconds.
     */
    private static final ThreadLocal<PlatformIds> CACHE = new ThreadLocal<PlatformIds>() {
        @Override
        protected PlatformIds initialValue() {
            return new PlatformIds(Carrier.osThreadIdJni(), Carrier.javaThreadAddressJni());
        }
    };

    /** The calling platform thread's ids. */
    static PlatformIds current() {
        return CACHE.get();
    }
}
