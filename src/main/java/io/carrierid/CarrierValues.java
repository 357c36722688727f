package io.carrierid;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * One carrier OS thread's values of every {@link CarrierLocal}, indexed by the
 * CarrierLocal's id (like a thread's ThreadLocalMap). When the carrier's
 * {@code Thread} has been collected, {@link CarrierKeys} drops this whole
 * table at once (and each live CarrierLocal's caches by index and by id forget the
 * carrier's entry: one or two array stores per CarrierLocal).
 *
 * <p>Only code running on this carrier's OS thread writes here (the carrier
 * itself, or a virtual thread mounted on it, between two of whose reads and
 * writes there is no blocking point and so no other virtual thread runs), so
 * growing by copying loses nothing. A CarrierLocal's entry, once made on a
 * carrier, stays in its slot for as long as both live, and its value changes in
 * place by compare-and-set ({@code getAndSet} and {@code compareAndSet} are
 * atomic): so a thread may keep a weak reference to its carrier's entry as a
 * cache ({@link CarrierLocal}) and never read a value its carrier no longer holds.
 */
final class CarrierValues {
    /** What an entry holds once its value has been removed: the next get() makes the initial value again. */
    static final Object ABSENT = new Object();

    /**
     * A CarrierLocal's value on this carrier, its stamp (an id is reused once its CarrierLocal is gone),
     * the key of the carrier whose table holds it (so that a virtual thread that finds it by its carrier's
     * index can tell, from the key it read, that it is its carrier's: CarrierLocal.fastEntry) and that
     * carrier's Java id (the same, for a thread that finds it by that id; never reused in a JVM's life).
     * The value is read plainly: only this carrier's OS thread writes it, and a virtual thread that mounts
     * there sees the writes made before (mounting orders them); other threads read it only to inspect it.
     */
    static final class Entry {
        final long stamp;
        final long carrierKey;
        final long carrierId;
        private Object value;

        /** This CarrierLocal's (its stamp's) entry in {@code table}, holding {@code value}. */
        Entry(long stamp, CarrierValues table, Object value) {
            this.stamp = stamp;
            this.carrierKey = table.key;
            this.carrierId = table.carrierId;
            this.value = value;
        }

        /** The value, or {@link #ABSENT}. */
        Object value() {
            return value;
        }

        void set(Object update) {
            VALUE.setRelease(this, update);
        }

        Object getAndSet(Object update) {
            return VALUE.getAndSet(this, update);
        }

        /** Replaces {@code expected} (compared by identity) with {@code update}. */
        boolean compareAndSet(Object expected, Object update) {
            return VALUE.compareAndSet(this, expected, update);
        }
    }

    private static final VarHandle VALUE = field(Entry.class, "value", Object.class);
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Entry[].class);
    private static final int FIRST_LENGTH = 8;

    /** The carrier key this table belongs to. */
    final long key;
    /** The carrier's Java id ({@link ThreadSlots#id}), or -1 where it is not had ({@link ThreadSlots#KEYED} false). */
    final long carrierId;
    /** The carrier's Thread, weakly (its Owner in CarrierKeys): a table must not keep an ended carrier alive. */
    private final java.lang.ref.WeakReference<Thread> carrier;
    private volatile Entry[] slots = new Entry[FIRST_LENGTH];

    CarrierValues(long key, long carrierId, java.lang.ref.WeakReference<Thread> carrier) {
        this.key = key;
        this.carrierId = carrierId;
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

    /**
     * Puts {@code made} in its slot where no entry of its stamp is (there may be a stale one, of a
     * collected CarrierLocal); false where one is: an entry is never replaced by another of its stamp.
     */
    boolean add(Entry made) {
        int id = CarrierKeys.localId(made.stamp);
        Entry[] all = slots;
        if (id >= all.length) {
            all = Arrays.copyOf(all, Math.max(id + 1, all.length * 2));
            slots = all;
        }
        Entry there = (Entry) SLOTS.getAcquire(all, id);
        if (there != null && there.stamp == made.stamp) {
            return false;
        }
        return SLOTS.compareAndSet(all, id, there, made);
    }

    private static VarHandle field(Class<?> owner, String name, Class<?> type) {
        try {
            return MethodHandles.lookup().findVarHandle(owner, name, type);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e); // our own field: never
        }
    }
}
