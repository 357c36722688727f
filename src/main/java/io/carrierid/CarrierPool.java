package io.carrierid;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * A pool of objects kept per carrier: a few idle objects for each OS thread that runs
 * virtual threads (and for each platform thread, its own carrier), so that a million
 * virtual threads cost what a few carriers cost. For buffers, encoders, recyclers: objects
 * that are dear to make and that one holder at a time uses.
 *
 * <pre>{@code
 * static final CarrierPool<ByteBuffer> BUFFERS = CarrierPool.create(2, () -> ByteBuffer.allocate(8192));
 *
 * ByteBuffer buf = BUFFERS.acquire();   // this carrier's idle one, else a new one: ours alone now
 * try {
 *     ... use buf; blocking is fine ...
 * } finally {
 *     BUFFERS.release(buf.clear());     // kept by the carrier we are on now, if it has room
 * }
 * }</pre>
 *
 * <p>{@link #acquire()} takes an idle object kept by the carrier running the caller, or
 * makes one with the factory; the caller then owns it alone, across any number of blocking
 * points. {@link #release(Object)} gives it to the carrier the caller is on <em>now</em>
 * (perhaps another one): kept if that carrier holds fewer than {@code idlePerCarrier} idle
 * objects, else dropped and left to the garbage collector. No object is ever handed to two
 * holders at once: each idle slot is taken and filled by compare-and-set. The steady path
 * takes no lock and allocates nothing. Holders that do not block between acquire and
 * release make at most about {@code carriers × idlePerCarrier} objects in all; holders that
 * block while holding make what they need, and at most {@code carriers × idlePerCarrier}
 * stay idle. A carrier's idle objects go when the carrier ends, as {@link CarrierLocal}
 * values do.
 *
 * <p>Where carriers cannot be told apart (no libcarrierid: {@link Carrier#diagnostics()}
 * then warns so; or before carrierid has initialised, for a caller that cannot wait for
 * it), objects are kept in one shared pool of {@code idlePerCarrier × availableProcessors}
 * slots instead: never one pool per virtual thread.
 *
 * <p>Releasing an object that was not acquired from this pool, or releasing one twice,
 * is not detected: as with any pool, it would then be handed out again while in use.
 *
 * @param <T> the type of the pooled objects
 */
public final class CarrierPool<T> {
    private final int idlePerCarrier;
    private final Supplier<? extends T> factory;
    /** Each carrier's idle slots (null: free); made at a carrier's first use. */
    private final CarrierLocal<AtomicReferenceArray<Object>> idle;
    /** The shared slots, for when carriers cannot be told apart. */
    private final AtomicReferenceArray<Object> shared;
    /** Whether anything was ever kept in {@link #shared}: only then do per-carrier misses look there. */
    private volatile boolean sharedUsed;

    private CarrierPool(int idlePerCarrier, Supplier<? extends T> factory) {
        this.idlePerCarrier = idlePerCarrier;
        this.factory = factory;
        this.idle = CarrierLocal.withInitial(new Slots(idlePerCarrier));
        this.shared = new AtomicReferenceArray<>(idlePerCarrier * Runtime.getRuntime().availableProcessors());
    }

    /**
     * A pool keeping at most {@code idlePerCarrier} idle objects per carrier.
     *
     * @param <T>            the type of the pooled objects
     * @param idlePerCarrier how many idle objects each carrier keeps, {@code >= 0} ({@code 0}: none, every
     *                       {@link #acquire()} makes a new object)
     * @param factory        makes an object when the carrier has none idle; must not return null
     * @return a new pool
     * @throws IllegalArgumentException if {@code idlePerCarrier < 0}
     * @throws NullPointerException     if {@code factory} is null
     */
    public static <T> CarrierPool<T> create(int idlePerCarrier, Supplier<? extends T> factory) {
        if (idlePerCarrier < 0) {
            throw new IllegalArgumentException("idlePerCarrier must be >= 0: " + idlePerCarrier);
        }
        return new CarrierPool<>(idlePerCarrier, Objects.requireNonNull(factory, "factory must not be null"));
    }

    /**
     * An idle object kept by the carrier running the caller, or a new one from the factory.
     * The caller owns it alone until it {@linkplain #release(Object) releases} it.
     *
     * @return the object, never null
     * @throws NullPointerException if the factory returned null
     */
    public T acquire() {
        if (idlePerCarrier > 0) {
            AtomicReferenceArray<Object> slots = idle.carrierValueOrNull();
            Object taken = slots != null ? take(slots) : null;
            if (taken == null && (slots == null || sharedUsed)) {
                taken = take(shared);
            }
            if (taken != null) {
                return cast(taken);
            }
        }
        T made = factory.get();
        if (made == null) {
            throw new NullPointerException("the factory of " + this + " returned null");
        }
        return made;
    }

    /**
     * Gives {@code object} to the carrier the caller is on now: kept if that carrier holds
     * fewer than {@code idlePerCarrier} idle objects, else dropped. The caller must not use it
     * after this.
     *
     * @param object an object acquired from this pool
     * @throws NullPointerException if {@code object} is null
     */
    public void release(T object) {
        Objects.requireNonNull(object, "object must not be null");
        if (idlePerCarrier == 0) {
            return;
        }
        AtomicReferenceArray<Object> slots = idle.carrierValueOrNull();
        if (slots != null) {
            put(slots, object);
        } else if (put(shared, object)) {
            sharedUsed = true;
        }
    }

    /**
     * How many objects this pool keeps idle per carrier.
     *
     * @return {@code idlePerCarrier} as created
     */
    public int idlePerCarrier() {
        return idlePerCarrier;
    }

    /** How many objects the carriers and the shared slots keep idle now (for tests). */
    int idleCount() {
        int count = count(shared);
        for (AtomicReferenceArray<Object> slots : idle.values()) {
            count += count(slots);
        }
        return count;
    }

    private static int count(AtomicReferenceArray<Object> slots) {
        int count = 0;
        for (int i = 0; i < slots.length(); i++) {
            count += slots.get(i) != null ? 1 : 0;
        }
        return count;
    }

    @Override
    public String toString() {
        return "CarrierPool[idlePerCarrier=" + idlePerCarrier + ", factory=" + factory + "]";
    }

    /** The last filled slot's object, taken by compare-and-set; null when none is idle. */
    private static Object take(AtomicReferenceArray<Object> slots) {
        for (int i = slots.length() - 1; i >= 0; i--) {
            Object object = slots.get(i);
            if (object != null && slots.compareAndSet(i, object, null)) {
                return object;
            }
        }
        return null;
    }

    /** Into the first free slot, by compare-and-set; false when there is none. */
    private static boolean put(AtomicReferenceArray<Object> slots, Object object) {
        for (int i = 0; i < slots.length(); i++) {
            if (slots.get(i) == null && slots.compareAndSet(i, null, object)) {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object object) {
        return (T) object;
    }

    /** A carrier's idle slots, made at its first use (a class, not a lambda: see Init). */
    private static final class Slots implements Supplier<AtomicReferenceArray<Object>> {
        private final int length;

        Slots(int length) {
            this.length = length;
        }

        @Override
        public AtomicReferenceArray<Object> get() {
            return new AtomicReferenceArray<>(length);
        }
    }
}
