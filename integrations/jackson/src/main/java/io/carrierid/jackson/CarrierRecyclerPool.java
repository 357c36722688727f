package io.carrierid.jackson;

import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.RecyclerPool;
import io.carrierid.CarrierPool;

/**
 * A Jackson 2 (2.16+) {@link RecyclerPool} that keeps {@link BufferRecycler}s per carrier: per OS
 * thread, however many virtual threads run on it, and per platform thread as Jackson's
 * thread-local pool does. A million virtual threads then share a few recyclers per carrier
 * instead of making one each, and a recycler is never held by two parsers or generators at
 * once, even when they block while holding it.
 *
 * <pre>{@code
 * JsonFactory factory = JsonFactory.builder().recyclerPool(CarrierRecyclerPool.instance()).build();
 * }</pre>
 *
 * <p>Built on {@link CarrierPool}: a recycler released on a carrier that already keeps
 * {@value #IDLE_PER_CARRIER} idle ones is dropped, so at most that many per carrier stay
 * idle. Where carrierid cannot tell carriers apart (see {@code Carrier.diagnostics()}), one
 * shared, bounded pool serves instead.
 */
public final class CarrierRecyclerPool implements RecyclerPool<BufferRecycler> {
    private static final long serialVersionUID = 1L;

    /** Idle recyclers kept per carrier: two, for a parser and a generator in use at once on a carrier. */
    public static final int IDLE_PER_CARRIER = 2;

    /** Made at first use, not when this class is initialised. */
    private static final class Shared {
        static final CarrierRecyclerPool INSTANCE = new CarrierRecyclerPool();

        private Shared() {}
    }

    private final transient CarrierPool<BufferRecycler> pool = CarrierPool.create(IDLE_PER_CARRIER, new Factory());

    private CarrierRecyclerPool() {}

    /**
     * The shared pool, as {@code JsonRecyclerPools.threadLocalPool()} is shared: one set of recyclers per carrier
     * for every factory that uses it.
     *
     * @return the shared instance
     */
    public static CarrierRecyclerPool instance() {
        return Shared.INSTANCE;
    }

    /** A recycler this carrier keeps idle, else a new one. */
    @Override
    public BufferRecycler acquirePooled() {
        return pool.acquire();
    }

    /** Back to the carrier the caller is on now, kept if it has room. */
    @Override
    public void releasePooled(BufferRecycler recycler) {
        pool.release(recycler);
    }

    /** Deserialised (a {@code JsonFactory} is serializable): the shared instance. */
    private Object readResolve() {
        return instance();
    }

    @Override
    public String toString() {
        return "CarrierRecyclerPool[" + pool + "]";
    }

    /** Makes recyclers (a class, not a lambda: this pool's factory is part of its toString). */
    private static final class Factory implements java.util.function.Supplier<BufferRecycler> {
        @Override
        public BufferRecycler get() {
            return new BufferRecycler();
        }

        @Override
        public String toString() {
            return "new BufferRecycler()";
        }
    }
}
