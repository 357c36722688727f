package io.carrierid;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * One carrier OS thread's values of every {@link CarrierLocal}, indexed by the
 * CarrierLocal's id (like a thread's ThreadLocalMap). When the carrier's
 * {@code Thread} has been collected, {@link CarrierKeys} drops this whole
 * table at once: releasing a carrier costs the same however many CarrierLocals
 * there are.
 *
 * <p>Only code running on this carrier's OS thread writes here (the carrier
 * itself, or a virtual thread mounted on it, between two of whose reads and
 * writes there is no blocking point and so no other virtual thread runs), so
 * growing by copying loses nothing. Slots change by compare-and-set, so
 * {@code getAndSet} and {@code compareAndSet} are atomic.
 */
final class CarrierValues {
    /** A value and the stamp of the CarrierLocal it belongs to (an id is reused once its CarrierLocal is gone). */
    static final class Entry {
        final long stamp;
        final Object value;

        Entry(long stamp, Object value) {
            this.stamp = stamp;
            this.value = value;
        }
    }

    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Entry[].class);
    private static final int FIRST_LENGTH = 8;

    /** The carrier key this table belongs to. */
    final long key;
    /** The carrier's Thread, weakly (its Owner in CarrierKeys): a table must not keep an ended carrier alive. */
    private final java.lang.ref.WeakReference<Thread> carrier;
    private volatile Entry[] slots = new Entry[FIRST_LENGTH];

    CarrierValues(long key, java.lang.ref.WeakReference<Thread> carrier) {
        this.key = key;
        this.carrier = carrier;
    }

    /** The carrier this table belongs to; null only once it has been collected. */
    Thread carrier() {
        return carrier.get();
    }

    /** Initialises this class (on carrierid-init). */
    static void touch() {}

    /** The entry of the CarrierLocal with this stamp, or null. */
    Entry get(long stamp) {
        int id = CarrierKeys.localId(stamp);
        Entry[] all = slots;
        if (id >= all.length) {
            return null;
        }
        Entry entry = (Entry) SLOTS.getAcquire(all, id);
        return entry != null && entry.stamp == stamp ? entry : null;
    }

    /** Replaces {@code expected} (null: nothing of this stamp, possibly a stale entry) with {@code update}. */
    boolean compareAndSet(long stamp, Entry expected, Entry update) {
        int id = CarrierKeys.localId(stamp);
        Entry[] all = slots;
        if (id >= all.length) {
            all = Arrays.copyOf(all, Math.max(id + 1, all.length * 2));
            slots = all;
        }
        Entry there = (Entry) SLOTS.getAcquire(all, id);
        if (expected == null ? there != null && there.stamp == stamp : there != expected) {
            return false;
        }
        return SLOTS.compareAndSet(all, id, there, update);
    }
}
