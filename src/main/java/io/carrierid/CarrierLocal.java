package io.carrierid;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A variable with one value per carrier OS thread, shared by every virtual
 * thread that runs on that carrier: per-carrier buffers, pools and striped
 * counters that do not multiply with a million virtual threads. On a platform
 * thread it behaves like a {@link ThreadLocal}.
 *
 * <p><b>A virtual thread may change carrier at any blocking point</b> (I/O,
 * locks, sleeping, parking, {@code Thread.yield()}). A value obtained with
 * {@link #get()} belongs to the carrier the thread was on at that moment; after
 * a blocking point another virtual thread on that carrier may get the same
 * value. To use a value across blocking points, take it out with
 * {@link #getAndSet getAndSet(null)}, which is atomic, and put it back after:
 *
 * <pre>{@code
 * static final CarrierLocal<ByteBuffer> BUFFERS = CarrierLocal.withInitial(() -> ByteBuffer.allocate(8192));
 *
 * ByteBuffer buf = BUFFERS.getAndSet(null);       // take this carrier's buffer (no one else can now)
 * if (buf == null) buf = ByteBuffer.allocate(8192); // taken by another thread already: make one
 * try {
 *     ... use buf, blocking is fine ...
 * } finally {
 *     BUFFERS.compareAndSet(null, buf.clear());   // give it back to the carrier we are on now, if its slot is free
 * }
 * }</pre>
 *
 * <p>A carrier's values are released (become unreachable from here) once the
 * carrier thread has ended, its {@code Thread} object has been collected, and
 * then some thread first uses a CarrierLocal on a new carrier or makes a new
 * CarrierLocal. A new thread never sees an old thread's value, even if the
 * kernel reuses the old thread's tid or HotSpot reuses its JavaThread's memory.
 * A CarrierLocal that is no longer referenced is collected like any object; its
 * values on each carrier are dropped when a new CarrierLocal takes its place
 * there, as a ThreadLocal's are. Besides its values, each CarrierLocal holds a
 * cache of references to its carriers' entries: at most 1024 (grown from 16 with
 * the spread of its carriers' thread ids), plus one per carrier index where
 * virtual threads run without {@code java.lang} open to carrierid.
 *
 * <p>Where the native library cannot be loaded (see
 * {@link Carrier#diagnostics()}, which then carries a warning saying so), values
 * are per thread, like a ThreadLocal, virtual threads included: never shared
 * wrongly, but with a million virtual threads that is a million values (and
 * their initial supplier's cost each) where the library would keep one per
 * carrier, a few per core. So are values used before carrierid has finished
 * initialising when it cannot be waited for (from a hook running inside that
 * initialisation, from a caller holding a lock it needs, or after waiting for it
 * in vain): each thread's such value is carried over to its carrier at the
 * thread's first use within a minute of carrierid's decision, unless that carrier
 * has a value already.
 *
 * @param <T> the type of the values
 */
public final class CarrierLocal<T> {
    // No static initialiser (see Init): this class is made and used on callers' stacks, however deep.

    private final Supplier<? extends T> initial;
    /** This CarrierLocal's id and generation (CarrierKeys); 0 until registered, which needs libcarrierid. */
    private long stamp;
    /** Values where carriers cannot be told apart (no libcarrierid, or not initialised yet); made on demand. */
    private volatile ThreadLocal<Held<T>> perThread;
    /**
     * By carrier Java id (see fastEntry): at {@code id & (length - 1)}, the entry of a carrier whose id
     * falls there, or null; a power of two long, or empty before this CarrierLocal's first cached entry.
     * Grown (a copy, see growByIdLocked), and cleared when a carrier is released, only under CarrierKeys'
     * lock, so that no copy brings back an entry of a released carrier; an element is otherwise written
     * only where it is null (so that two carriers on one element never take it in turns). A plain field:
     * a reader that sees an older array, or an element not yet written, only misses (the carrier's table
     * then serves); an entry's ids are final, and its value is the reader's own carrier's.
     */
    private CarrierValues.Entry[] byId = NO_ENTRIES;
    /**
     * By carrier index (see fastEntry), for virtual threads where the carrier's Java id is not read:
     * the entry of the carrier that holds that index now, or null. Grown, and cleared when a carrier's
     * index is released, only under CarrierKeys' lock, so that no copy brings back an entry of a released
     * carrier; an element is otherwise written only by code running on the carrier whose index it is.
     */
    private volatile CarrierValues.Entry[] indexed = NO_ENTRIES;
    /**
     * Per platform thread whose index is not in PlatformIds' table (another thread's claim took its
     * slot), and per carrier where virtual threads use their carrier's map: the entry, weakly.
     */
    private final ThreadLocal<WeakReference<CarrierValues.Entry>> cached = new ThreadLocal<>();
    /**
     * True while values set per thread before carrierid's decision may still be carried over to
     * the carriers (see {@link #carryOver}); until {@code carryUntil} (System.nanoTime) at most.
     */
    private volatile boolean carrying;
    private long carryUntil;
    /** How long after a CarrierLocal is registered its per-thread values are carried over. */
    static final long CARRY_NANOS = 60_000_000_000L;
    /** Empty: nothing cached yet. Shared, never written (a copy is made to grow). */
    private static final CarrierValues.Entry[] NO_ENTRIES = new CarrierValues.Entry[0];
    /** The largest index cached by index: beyond it (a million live threads), the ThreadLocal serves. */
    private static final long MAX_INDEXED = (1 << 20) - 1;
    /** {@code byId}'s first length. */
    static final int FIRST_BY_ID = 16;
    /**
     * {@code byId}'s largest length (4 KB of references per CarrierLocal with compressed oops): a carrier
     * whose element another live carrier's entry holds then is served by the ThreadLocal (its carrier's map
     * for a virtual thread, where java.lang is open), as one beyond ThreadSlots' 4096 slots is.
     */
    static final int MAX_BY_ID = 1 << 10;

    private CarrierLocal(Supplier<? extends T> initial) {
        this.initial = initial;
        stamp();
    }

    /** A carrier-local whose initial value on each carrier is {@code null}. */
    public CarrierLocal() {
        this(new NoValue<>());
    }

    /**
     * A carrier-local whose initial value on each carrier comes from {@code initial},
     * called on first use on that carrier (and again after {@link #remove()}), on that
     * carrier, once: if several virtual threads ask at once, the first value made is
     * kept. If the supplier blocks and the calling virtual thread comes back on another
     * carrier, its value is dropped and the supplier called again there: so a supplier
     * may occasionally run more often than there are carriers, and its values should
     * need no closing.
     *
     * @param <T>     the type of the values
     * @param initial makes a carrier's first value; not null
     * @return a new carrier-local
     * @throws NullPointerException if {@code initial} is null
     */
    public static <T> CarrierLocal<T> withInitial(Supplier<? extends T> initial) {
        return new CarrierLocal<>(Objects.requireNonNull(initial, "initial must not be null"));
    }

    /**
     * This carrier's value, made by the initial supplier if it has none. The first call
     * on a carrier registers it under a lock, where a virtual thread may block and so
     * return on another carrier: the value returned is always that of the carrier the
     * thread is on when the call returns.
     *
     * @return this carrier's value
     */
    public T get() {
        CarrierValues.Entry entry = cachedEntry();
        if (entry != null) {
            Object value = entry.value();
            if (value != CarrierValues.ABSENT) {
                return cast(value);
            }
        }
        return getSlow();
    }

    /** Kept out of get() so that it inlines: a virtual thread, a platform thread's first call, no library. */
    private T getSlow() {
        long stamp = stampHere();
        if (stamp == 0) {
            return held().value;
        }
        return carrierValue(stamp);
    }

    /**
     * This carrier's value as {@link #get()} gives it, or null where values are kept per thread
     * now (no libcarrierid, or carrierid not initialised yet): for {@link CarrierPool}, which
     * must never keep objects per virtual thread.
     */
    T carrierValueOrNull() {
        CarrierValues.Entry entry = entryWithValue();
        return entry == null ? null : cast(entry.value()); // nothing has blocked since entryWithValue() saw it
    }

    private T carrierValue(long stamp) {
        CarrierValues.Entry entry = present(stamp);
        Object value = entry.value(); // nothing has blocked since present() saw it there
        cache(entry);
        return cast(value);
    }

    /**
     * Sets this carrier's value.
     *
     * @param value the new value
     */
    public void set(T value) {
        CarrierValues.Entry entry = cachedEntry();
        if (entry != null) {
            entry.set(value);
            return;
        }
        long stamp = stampHere();
        if (stamp == 0) {
            held().value = value;
            return;
        }
        while (true) {
            CarrierValues values = CarrierKeys.values(CarrierKeys.current());
            if (values == null) {
                values = valuesHere(); // the carrier's first use: a key first (under a lock)
            }
            CarrierValues.Entry there = values.get(stamp); // nothing blocks from here on
            if (there != null) {
                there.set(value);
                cache(there);
                return;
            }
            CarrierValues.Entry made = new CarrierValues.Entry(stamp, values, value);
            if (values.add(made)) {
                cache(made);
                return;
            }
        }
    }

    /** Removes this carrier's value: its next {@link #get()} calls the initial supplier again. */
    public void remove() {
        CarrierValues.Entry entry = cachedEntry();
        if (entry != null) {
            entry.set(CarrierValues.ABSENT);
            return;
        }
        long stamp = stampHere();
        if (stamp == 0) {
            perThread().remove();
            return;
        }
        CarrierValues values = CarrierKeys.values(CarrierKeys.current());
        entry = values == null ? null : values.get(stamp);
        if (entry != null) {
            entry.set(CarrierValues.ABSENT);
        }
    }

    /**
     * Atomically replaces this carrier's value (made by the initial supplier first
     * if it has none) and returns the one it replaced. No two threads can ever get
     * the same value out of one carrier's slot this way.
     *
     * @param value the new value
     * @return the value it replaced
     */
    public T getAndSet(T value) {
        CarrierValues.Entry entry = entryWithValue();
        if (entry == null) {
            Held<T> held = held();
            T old = held.value;
            held.value = value;
            return old;
        }
        return cast(entry.getAndSet(value)); // not ABSENT: nothing has blocked since entryWithValue() saw it
    }

    /**
     * Atomically sets this carrier's value to {@code update} if it is {@code expected}
     * (compared with {@code ==}; a carrier without a value first gets its initial one).
     *
     * @param expected the value it must have
     * @param update   the value to set
     * @return whether the value was set
     */
    public boolean compareAndSet(T expected, T update) {
        CarrierValues.Entry entry = entryWithValue();
        if (entry == null) {
            Held<T> held = held();
            if (held.value != expected) {
                return false;
            }
            held.value = update;
            return true;
        }
        return entry.compareAndSet(expected, update);
    }

    /**
     * This carrier's entry, holding a value (the initial supplier's if it had none): the cached one,
     * else from the carrier's table (then cached); null where values are kept per thread now
     * ({@link #held()}). Nothing blocks between its last look at the entry and its return.
     */
    private CarrierValues.Entry entryWithValue() {
        CarrierValues.Entry entry = cachedEntry();
        if (entry != null && entry.value() != CarrierValues.ABSENT) {
            return entry;
        }
        long stamp = stampHere();
        if (stamp == 0) {
            return null;
        }
        entry = present(stamp);
        cache(entry);
        return entry;
    }

    /**
     * The entry of the carrier running the caller, cached: by the carrier's Java id or index
     * ({@link #fastEntry()}), else in that carrier's own ThreadLocal map: on a platform thread (its own
     * map) once it has used this CarrierLocal since it was registered; on a virtual thread where the JVM
     * opens java.lang to carrierid (its carrier's map, as the JDK's CarrierThreadLocal does:
     * {@link ActiveInternals#CARRIER_MAPS}). A platform thread's carrier key, and so its table, stays
     * valid while it lives, and an entry stays in its slot while its CarrierLocal lives (see
     * CarrierValues). Null elsewhere, before the carrier's first use, and once the entry has been collected.
     */
    private CarrierValues.Entry cachedEntry() {
        CarrierValues.Entry entry = fastEntry();
        if (entry != null) {
            return entry;
        }
        WeakReference<CarrierValues.Entry> ref;
        if (!Threads.isVirtual(Thread.currentThread())) {
            ref = cached.get();
        } else if (carrierMaps()) {
            ref = cast(ActiveInternals.carrierLocal(cached));
        } else {
            return null;
        }
        return ref != null ? ref.get() : null;
    }

    /**
     * The caller's carrier's entry with no map walked. Where the carrier's Java id is had (a platform
     * thread's own, with {@link ThreadSlots#KEYED}; a virtual thread's carrier's where
     * {@link Dispatch#carrierIds()}, no native call): the element of {@code byId} at that id, checked
     * to be that carrier's (one load, one compare: a Java id is never reused, so the check is exact).
     * Else, for a virtual thread: its carrier's key (one downcall), the element of {@code indexed} at
     * its index, checked to be of that key's table (an index belongs to one live carrier at a time, and
     * its element is cleared when it is released, see forgetCarrier). Only this CarrierLocal holds the
     * arrays, so no thread's map keeps anything alive. Null before this carrier's first use, and where
     * its element is another's.
     */
    private CarrierValues.Entry fastEntry() {
        Thread current = Thread.currentThread();
        CarrierValues.Entry[] all = byId;
        // all not empty: something was cached by id, so the decision is published (Active, ThreadSlots may be read, see Init).
        if (!Threads.isVirtual(current)) { // a virtual thread's own id is no carrier's
            return all.length != 0 && ThreadSlots.KEYED ? byId(all, ThreadSlots.id(current)) : null;
        }
        if (Threads.JAVA_LANG_OPEN && all.length != 0 && Dispatch.carrierIds()) { // a constant first: the rest folds without it
            return byId(all, ThreadSlots.id(ActiveInternals.carrier()));
        }
        return byKey();
    }

    /** The element for this carrier Java id, if that carrier's; {@code all} is not empty (a power of two long). */
    private static CarrierValues.Entry byId(CarrierValues.Entry[] all, long id) {
        CarrierValues.Entry entry = all[at(all, id)]; // the JIT's bounds check: length > 0, known
        return entry != null && entry.carrierId == id ? entry : null;
    }

    /** The element of {@code byId} (not empty: a power of two long) for this carrier Java id: its low bits. */
    private static int at(CarrierValues.Entry[] byId, long id) {
        return (int) id & (byId.length - 1);
    }

    /** A virtual thread's carrier's entry by the index of the carrier's key (see fastEntry). */
    private CarrierValues.Entry byKey() {
        CarrierValues.Entry[] all = indexed;
        if (all.length == 0) { // nothing cached yet: and CarrierKeys is not read before the decision (see Init)
            return null;
        }
        // Its carrier's key as it stands (0 or stale possibly): the element at its index is the
        // carrier's entry only if made in the table of that key (a stale key's index may be another's).
        long key = CarrierKeys.currentOfVirtual();
        int at = CarrierKeys.index(key);
        CarrierValues.Entry entry = Integer.compareUnsigned(at, all.length) < 0 ? all[at] : null; // 21+: an intrinsic
        return entry != null && entry.carrierKey == key ? entry : null;
    }

    /**
     * Caches the entry of the carrier running the caller, just found in that carrier's table with no
     * blocking point since, for {@link #fastEntry()}: by the carrier's Java id where it is read there,
     * else (a virtual thread) by its carrier's index. False where it cannot be (another live carrier's
     * entry on its element of {@code byId} at its largest, no id to be had, a virtual thread finding
     * CarrierKeys' lock busy): the ThreadLocal serves then (a virtual thread's carrier's map, where
     * java.lang is open).
     */
    private boolean cacheFast(CarrierValues.Entry entry) {
        boolean virtual = Threads.isVirtual(Thread.currentThread());
        if (!virtual || Dispatch.carrierIds()) {
            return ThreadSlots.KEYED && cacheById(entry, !virtual);
        }
        long key = CarrierKeys.currentOfVirtual();
        CarrierValues values = CarrierKeys.values(key);
        if (values == null || values.get(entry.stamp) != entry) {
            return false; // not this carrier's entry (never seen: nothing blocked since it was found)
        }
        long index = CarrierKeys.index(key);
        if (index < 0 || index > MAX_INDEXED) {
            return false;
        }
        CarrierValues.Entry[] all = indexed;
        if (index >= all.length) {
            // A virtual thread must not block here: it could come back on another carrier, and its
            // caller return the entry of the one it left. Where the lock is busy, a later call grows it.
            all = CarrierKeys.growIndexed(this, (int) index + 1);
            if (all == null) {
                return false;
            }
        }
        all[(int) index] = entry;
        return true;
    }

    /**
     * Puts the entry on its element of {@code byId} (at its carrier's Java id), growing the array while
     * another carrier's entry holds that element, up to {@link #MAX_BY_ID}. Any thread may put any
     * carrier's entry there (the element is checked against the reader's carrier), but only where the
     * element is empty or already that carrier's.
     */
    private boolean cacheById(CarrierValues.Entry entry, boolean mayBlock) {
        long id = entry.carrierId;
        if (id < 0) {
            return false;
        }
        while (true) {
            CarrierValues.Entry[] all = byId;
            if (all.length != 0) {
                int at = at(all, id);
                CarrierValues.Entry there = all[at];
                if (there == null || there.carrierId == id) {
                    all[at] = entry;
                    return true;
                }
                if (all.length >= MAX_BY_ID) {
                    return false; // another carrier's (live, or not yet released)
                }
            }
            // A virtual thread must not block here (see cacheFast); where the lock is busy, a later call grows it.
            if (CarrierKeys.growById(this, mayBlock) == null) {
                return false;
            }
        }
    }

    /**
     * Under CarrierKeys' lock: {@code byId} doubled (at first {@link #FIRST_BY_ID} long), each entry moved to
     * its element in the new length (the first one wins where two meet); as it was at {@link #MAX_BY_ID}.
     */
    CarrierValues.Entry[] growByIdLocked() {
        CarrierValues.Entry[] all = byId;
        if (all.length >= MAX_BY_ID) {
            return all;
        }
        CarrierValues.Entry[] grown = new CarrierValues.Entry[all.length == 0 ? FIRST_BY_ID : 2 * all.length];
        for (CarrierValues.Entry entry : all) {
            if (entry != null) {
                int at = at(grown, entry.carrierId);
                if (grown[at] == null) {
                    grown[at] = entry;
                }
            }
        }
        byId = grown;
        return grown;
    }

    /** Under CarrierKeys' lock: {@code indexed}, at least {@code length} long. */
    CarrierValues.Entry[] growIndexedLocked(int length) {
        CarrierValues.Entry[] all = indexed;
        if (all.length < length) {
            all = Arrays.copyOf(all, (int) Math.max(length, Math.min(2L * all.length, MAX_INDEXED + 1)));
            indexed = all;
        }
        return all;
    }

    /**
     * Under CarrierKeys' lock: the carrier with this index and Java id (-1: none had) has been released;
     * its entry goes from the caches.
     */
    void forgetCarrier(int index, long carrierId) {
        CarrierValues.Entry[] all = indexed;
        if (index < all.length) {
            all[index] = null;
        }
        CarrierValues.Entry[] ids = byId;
        if (carrierId >= 0 && ids.length != 0) {
            int at = at(ids, carrierId);
            CarrierValues.Entry there = ids[at];
            if (there != null && there.carrierId == carrierId) {
                ids[at] = null;
            }
        }
    }

    /** Whether a virtual thread's carrier's map may be used (see cachedEntry); reads Active only once published. */
    private static boolean carrierMaps() {
        return Init.published() && Dispatch.internalsForAll() && ActiveInternals.CARRIER_MAPS;
    }

    /**
     * Caches the entry of the carrier running the caller, which it just found in that carrier's
     * table with no blocking point since, weakly (a reference of the JDK's whose referent the carrier
     * table holds), so that the thread's map keeps nothing of carrierid's nor of the values alive:
     * an undeployed application's class loader is not held by a pooled thread.
     */
    private void cache(CarrierValues.Entry entry) {
        if (cacheFast(entry)) {
            return;
        }
        if (!Threads.isVirtual(Thread.currentThread())) {
            cached.set(new WeakReference<>(entry));
        } else if (carrierMaps()) {
            ActiveInternals.setCarrierLocal(cached, new WeakReference<>(entry));
        }
    }

    /**
     * This carrier's entry, holding a value (the initial supplier's if it had none or its value was
     * removed). Nothing blocks between its last look at the entry and its return, so a virtual thread
     * is still on the carrier it belongs to when the caller reads it.
     */
    private CarrierValues.Entry present(long stamp) {
        while (true) {
            CarrierValues values = CarrierKeys.values(CarrierKeys.current());
            if (values == null) {
                values = valuesHere(); // may block (a lock), so may move a virtual thread: valid on return
            }
            CarrierValues.Entry entry = values.get(stamp);
            if (entry != null && entry.value() != CarrierValues.ABSENT) {
                return entry;
            }
            long key = values.key;
            T value = initial.get();
            if (CarrierKeys.current() != key) {
                // The supplier blocked and the thread moved: its value was not made on the
                // carrier it would belong to (it may have read carrier-specific state). Drop it.
                continue;
            }
            entry = values.get(stamp); // look again: another virtual thread here may have set one meanwhile
            if (entry == null) {
                CarrierValues.Entry made = new CarrierValues.Entry(stamp, values, value);
                if (values.add(made)) {
                    return made;
                }
            } else if (entry.compareAndSet(CarrierValues.ABSENT, value)) {
                return entry;
            }
            // Another virtual thread on this carrier set a value while our supplier blocked: theirs stands.
        }
    }

    private static CarrierValues valuesHere() {
        while (true) {
            CarrierValues values = CarrierKeys.values(CarrierKeys.validKey());
            if (values != null && values.key == CarrierKeys.current()) {
                return values;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }

    /** {@link #stamp()}, having first carried this thread's pre-decision value over, while that is due. */
    private long stampHere() {
        long stamp = stamp();
        if (stamp != 0 && carrying) {
            carryOver(stamp);
        }
        return stamp;
    }

    /** The stamp, registering this CarrierLocal once carrierid has decided and libcarrierid is loaded; else 0. */
    private long stamp() {
        long known = stamp;
        if (known != 0) {
            return known;
        }
        if (!Init.ready() || !Active.NATIVE_LOADED || !Init.keysReady()) {
            return 0; // per thread meanwhile, carried over later (see carryOver)
        }
        synchronized (this) {
            if (stamp == 0) {
                stamp = CarrierKeys.register(this);
                if (perThread != null) {
                    carryUntil = System.nanoTime() + CARRY_NANOS;
                    carrying = true;
                }
            }
            return stamp;
        }
    }

    /** The calling thread's value holder where carriers cannot be told apart, made on first use. */
    private Held<T> held() {
        ThreadLocal<Held<T>> local = perThread();
        Held<T> held = local.get();
        if (held == null) {
            held = new Held<>(initial.get());
            local.set(held);
        }
        return held;
    }

    private ThreadLocal<Held<T>> perThread() {
        ThreadLocal<Held<T>> local = perThread;
        if (local == null) {
            synchronized (this) {
                local = perThread;
                if (local == null) {
                    local = new ThreadLocal<>();
                    perThread = local;
                }
            }
        }
        return local;
    }

    /**
     * Carries a value this thread had before carrierid's decision (a call that could not wait
     * for it: from a hook inside the initialisation, or holding a lock it needs) over to the
     * carrier the thread is on now, unless that carrier has a value of its own already, at the
     * thread's first use in the {@value #CARRY_NANOS} ns after this CarrierLocal was registered.
     */
    private void carryOver(long stamp) {
        ThreadLocal<Held<T>> local = perThread;
        if (local == null || System.nanoTime() - carryUntil > 0) {
            carrying = false; // done: the hot path is back to one plain read
            return;
        }
        Held<T> held = local.get();
        if (held == null) {
            return;
        }
        local.remove();
        CarrierValues values = valuesHere(); // may block: the value goes to the carrier of after it
        CarrierValues.Entry entry = values.get(stamp);
        if (entry == null) {
            values.add(new CarrierValues.Entry(stamp, values, held.value));
        } else {
            entry.compareAndSet(CarrierValues.ABSENT, held.value);
        }
    }

    // Inspection for the tests and scripts/stress, from here on. Package-private (so no part of the
    // API: the module exports only public types), and kept here because it reads this class's
    // private state, which the tests could otherwise reach only by reflection.

    /** The values held now, one per carrier (for tests). */
    List<T> values() {
        List<T> values = new ArrayList<>();
        for (CarrierValues.Entry entry : CarrierKeys.entries(stamp)) {
            if (entry.value() != CarrierValues.ABSENT) {
                values.add(cast(entry.value()));
            }
        }
        return values;
    }

    /** Whether this platform thread's entry is in the cache by Java id (for tests). */
    boolean cachedById(Thread thread) {
        CarrierValues.Entry[] all = byId;
        return all.length != 0 && ThreadSlots.KEYED && byId(all, ThreadSlots.id(thread)) != null;
    }

    /** Each carrier's value now, as "stamp=value" (for tests' failure messages). */
    List<String> describe() {
        List<String> out = new ArrayList<>();
        for (CarrierValues.Entry entry : CarrierKeys.entries(stamp)) {
            Object value = entry.value();
            out.add(Long.toHexString(entry.stamp) + "=" + (value == CarrierValues.ABSENT ? "(removed)" : value));
        }
        return out;
    }

    /** A thread's value where carriers cannot be told apart (a ThreadLocal's entry, settable in place). */
    private static final class Held<T> {
        T value;

        Held(T value) {
            this.value = value;
        }
    }

    /** The supplier of {@link #CarrierLocal()}: a class, not a lambda (see Init). */
    private static final class NoValue<T> implements Supplier<T> {
        @Override
        public T get() {
            return null;
        }
    }
}
