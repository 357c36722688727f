package io.carrierid;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
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
 * <p>A carrier's value is released (becomes unreachable from here) once the
 * carrier thread has ended and its {@code Thread} object has been collected. A
 * new thread never sees an old thread's value, even if the kernel reuses the old
 * thread's tid or HotSpot reuses its JavaThread's memory.
 *
 * <p>Where the native library cannot be loaded (see
 * {@link Carrier#diagnostics()}), values are per thread, like a ThreadLocal,
 * virtual threads included.
 *
 * @param <T> the type of the values
 */
public final class CarrierLocal<T> {
    private static final int CHUNK_BITS = 6;
    private static final int CHUNK = 1 << CHUNK_BITS;

    /** An immutable slot content: the owning key, so that a stale key never matches, and the value. */
    private static final class Entry<T> {
        final long key;
        final T value;

        Entry(long key, T value) {
            this.key = key;
            this.value = value;
        }
    }

    private final Supplier<? extends T> initial;
    private final ThreadLocal<T> perThread; // only where the native library is not loaded
    private final Object growLock = new Object();
    /**
     * The table, indexed by CarrierKeys.index(key), in chunks of 64 slots. Chunks are
     * never copied, only the directory grows, so no write to a slot can be lost.
     */
    private volatile Entry<T>[][] chunks = newDirectory(0);

    private CarrierLocal(Supplier<? extends T> initial) {
        this.initial = initial;
        this.perThread = Active.NATIVE_LOADED ? null : ThreadLocal.withInitial(initial);
        CarrierKeys.register(this);
    }

    /** A carrier-local whose initial value on each carrier is {@code null}. */
    public CarrierLocal() {
        this(() -> null);
    }

    /**
     * A carrier-local whose initial value on each carrier comes from {@code initial},
     * called on first use on that carrier (and again after {@link #remove()}), on that
     * carrier. If the supplier blocks and the calling virtual thread comes back on another
     * carrier, its value is dropped and the supplier called again: so a supplier may
     * occasionally run more often than there are carriers, and its values should need no
     * closing.
     */
    public static <T> CarrierLocal<T> withInitial(Supplier<? extends T> initial) {
        return new CarrierLocal<>(Objects.requireNonNull(initial, "initial must not be null"));
    }

    /**
     * This carrier's value, made by the initial supplier if it has none. The first call
     * on a carrier registers it under a lock, where a virtual thread may block and so
     * return on another carrier: the value returned is always that of the carrier the
     * thread is on when the call returns.
     */
    public T get() {
        if (perThread != null) {
            return perThread.get();
        }
        Entry<T> entry = entry(CarrierKeys.current());
        return entry != null ? entry.value : present().value;
    }

    /** Sets this carrier's value. */
    public void set(T value) {
        if (perThread != null) {
            perThread.set(value);
            return;
        }
        long key = key();
        slot(key).set(new Entry<>(key, value));
    }

    /** Removes this carrier's value: its next {@link #get()} calls the initial supplier again. */
    public void remove() {
        if (perThread != null) {
            perThread.remove();
            return;
        }
        long key = CarrierKeys.current();
        Entry<T> entry = entry(key);
        if (entry != null) {
            slot(key).compareAndSet(entry, null);
        }
    }

    /**
     * Atomically replaces this carrier's value (made by the initial supplier first
     * if it has none) and returns the one it replaced. No two threads can ever get
     * the same value out of one carrier's slot this way.
     */
    public T getAndSet(T value) {
        if (perThread != null) {
            T old = perThread.get();
            perThread.set(value);
            return old;
        }
        while (true) {
            Entry<T> current = present();
            if (slot(current.key).compareAndSet(current, new Entry<>(current.key, value))) {
                return current.value;
            }
        }
    }

    /**
     * Atomically sets this carrier's value to {@code update} if it is {@code expected}
     * (compared with {@code ==}; a carrier without a value first gets its initial one).
     *
     * @return whether the value was set
     */
    public boolean compareAndSet(T expected, T update) {
        if (perThread != null) {
            if (perThread.get() != expected) {
                return false;
            }
            perThread.set(update);
            return true;
        }
        while (true) {
            Entry<T> current = present();
            if (current.value != expected) {
                return false;
            }
            if (slot(current.key).compareAndSet(current, new Entry<>(current.key, update))) {
                return true;
            }
        }
    }

    /** This carrier's entry, initialised if absent. */
    private Entry<T> present() {
        while (true) {
            long key = CarrierKeys.current();
            Entry<T> entry = entry(key);
            if (entry != null) {
                return entry;
            }
            key = CarrierKeys.validKey();
            T value = initial.get();
            if (CarrierKeys.current() != key) {
                // The supplier blocked and the thread moved: its value was not made on the
                // carrier it would belong to (it may have read carrier-specific state). Drop it.
                continue;
            }
            SlotRef<T> slot = slot(key);
            Entry<T> there = slot.get();
            if (there == null || there.key != key) {
                // Empty, or left by a previous owner of this index (whose release is due
                // but not yet run): ours now either way.
                slot.compareAndSet(there, new Entry<>(key, value));
            }
        }
    }

    private long key() {
        long key = CarrierKeys.current();
        return entry(key) != null ? key : CarrierKeys.validKey();
    }

    /** The entry for this exact key, or null (no entry, or one of another key or generation). */
    private Entry<T> entry(long key) {
        int index = CarrierKeys.index(key);
        Entry<T>[][] directory = chunks;
        int chunk = index >>> CHUNK_BITS;
        if (key == 0 || chunk >= directory.length) {
            return null;
        }
        // A plain read: a slot is written by its own carrier OS thread (which sees its own writes
        // in order), by a thread that blocked while growing the table on its behalf, and, once
        // that carrier is gone, by the Cleaner; updates that matter go through compareAndSet.
        // Entries are immutable (final fields), so any entry read is whole.
        Entry<T> entry = directory[chunk][index & (CHUNK - 1)];
        return entry != null && entry.key == key ? entry : null;
    }

    private Entry<T>[] slotChunk(int index) {
        int chunk = index >>> CHUNK_BITS;
        Entry<T>[][] directory = chunks;
        if (chunk < directory.length) {
            return directory[chunk];
        }
        synchronized (growLock) {
            directory = chunks;
            if (chunk >= directory.length) {
                Entry<T>[][] grown = newDirectory(Math.max(chunk + 1, directory.length * 2));
                System.arraycopy(directory, 0, grown, 0, directory.length);
                for (int i = directory.length; i < grown.length; i++) {
                    grown[i] = newChunk();
                }
                chunks = grown;
                directory = grown;
            }
            return directory[chunk];
        }
    }

    /** The slot a key's entries live in (the index's; the generation is checked by entry()). */
    private SlotRef<T> slot(long key) {
        int index = CarrierKeys.index(key);
        return new SlotRef<>(slotChunk(index), index & (CHUNK - 1));
    }

    /** One slot of a chunk; writes are volatile or CAS, so getAndSet and compareAndSet are atomic. */
    private static final class SlotRef<T> {
        private final Entry<T>[] chunk;
        private final int at;

        SlotRef(Entry<T>[] chunk, int at) {
            this.chunk = chunk;
            this.at = at;
        }

        @SuppressWarnings("unchecked")
        Entry<T> get() {
            return (Entry<T>) SLOTS.getVolatile(chunk, at);
        }

        void set(Entry<T> entry) {
            SLOTS.setVolatile(chunk, at, entry);
        }

        boolean compareAndSet(Entry<T> expected, Entry<T> update) {
            return SLOTS.compareAndSet(chunk, at, expected, update);
        }
    }

    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Entry[].class);

    /** Called by CarrierKeys, under its lock, once the key's carrier is gone: drops its value. */
    void release(long key) {
        int index = CarrierKeys.index(key);
        if ((index >>> CHUNK_BITS) < chunks.length) {
            SlotRef<T> slot = slot(key);
            Entry<T> entry = slot.get();
            if (entry != null && entry.key == key) {
                slot.compareAndSet(entry, null);
            }
        }
    }

    /** Each slot's key and value now, as "key=value" (for tests' failure messages). */
    List<String> describe() {
        List<String> out = new ArrayList<>();
        for (Entry<T> entry : entries()) {
            out.add(Long.toHexString(entry.key) + "=" + entry.value);
        }
        return out;
    }

    /** The values held now, one per carrier (for tests). */
    List<T> values() {
        List<T> values = new ArrayList<>();
        for (Entry<T> entry : entries()) {
            values.add(entry.value);
        }
        return values;
    }

    /** Every slot's entry now (for tests). */
    private List<Entry<T>> entries() {
        List<Entry<T>> entries = new ArrayList<>();
        for (Entry<T>[] chunk : chunks) {
            for (int i = 0; i < chunk.length; i++) {
                @SuppressWarnings("unchecked")
                Entry<T> entry = (Entry<T>) SLOTS.getVolatile(chunk, i);
                if (entry != null) {
                    entries.add(entry);
                }
            }
        }
        return entries;
    }

    @SuppressWarnings("unchecked")
    private static <T> Entry<T>[][] newDirectory(int length) {
        return (Entry<T>[][]) new Entry<?>[length][];
    }

    @SuppressWarnings("unchecked")
    private static <T> Entry<T>[] newChunk() {
        return (Entry<T>[]) new Entry<?>[CHUNK];
    }
}
