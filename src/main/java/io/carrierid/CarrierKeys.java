package io.carrierid;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bookkeeping behind {@link CarrierLocal}: a key per carrier OS thread,
 * its table of values ({@link CarrierValues}), and an id per live CarrierLocal.
 *
 * <p>A carrier key is a small index (its table's place) and a generation,
 * packed as {@code generation << 32 | index}. It lives in the OS thread's own
 * storage (carrier_key.c: a pthread key of libcarrierid's, else a C thread-local),
 * so a new OS thread starts without one even when it reuses an old thread's tid or
 * JavaThread address. A CarrierLocal's stamp
 * is likewise {@code generation << 32 | id}.
 *
 * <p>Ended carriers and dropped CarrierLocals are noticed through reference
 * queues, polled whenever a carrier gets its key or a CarrierLocal is made:
 * an ended carrier's table is dropped whole and its index reused under the next
 * generation (a stale key then matches no table); a dropped CarrierLocal's id is
 * reused under the next generation (a stale entry then matches no stamp). A
 * dropped CarrierLocal costs O(1); an ended carrier one store, plus one per live
 * CarrierLocal (its caches by carrier index and Java id forget the carrier's entry). No thread of
 * carrierid's does this (a Cleaner thread would outlive an undeployed
 * application's class loader), and nothing here is reachable from a thread or
 * the JDK, so dropping carrierid's class loader drops all of it.
 */
final class CarrierKeys {
    /**
     * Guards everything below but {@link #tables}. Taken only on slow paths: a carrier's first use, a new
     * CarrierLocal. A lock rather than a monitor for its tryLock: Carrier.thread() registers a carrier only
     * when that cannot block ({@link #carrierWithoutBlocking()}).
     */
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final ReferenceQueue<Thread> ENDED = new ReferenceQueue<>();
    private static final ReferenceQueue<CarrierLocal<?>> DROPPED = new ReferenceQueue<>();

    private static Owner[] owners = new Owner[8];     // by carrier index
    private static int[] generations = new int[8];    // by carrier index
    private static int[] freeIndexes = new int[8];
    private static int freeIndexCount;
    private static int indexesUsed;

    private static LocalRef[] locals = new LocalRef[8]; // by CarrierLocal id
    private static int[] localGenerations = new int[8];
    private static int[] freeIds = new int[8];
    private static int freeIdCount;
    private static int idsUsed;

    /** By carrier index: that carrier's values. Replaced whole (copy on growth) under LOCK; read without it. */
    private static volatile CarrierValues[] tables = new CarrierValues[8];

    /** Whose an index is: the carrier thread, weakly, and the key it was given. */
    private static final class Owner extends WeakReference<Thread> {
        final long key;

        Owner(Thread carrier, long key) {
            super(carrier, ENDED);
            this.key = key;
        }
    }

    /** A live CarrierLocal's id, weakly. */
    private static final class LocalRef extends WeakReference<CarrierLocal<?>> {
        final long stamp;

        LocalRef(CarrierLocal<?> local, long stamp) {
            super(local, DROPPED);
            this.stamp = stamp;
        }
    }

    /** FFM critical downcall to carrier_key.c's reader, ()long, on 22+; set up on carrierid-ffm. */
    private static final class FfmKey {
        static final MethodHandle HANDLE = stagedFfmKey; // null: JNI serves (made by stageFfm(): nothing made here)

        private FfmKey() {}
    }

    /** The FFM key reader set up by {@link #stageFfm()}, for FfmKey's initialiser. */
    private static volatile MethodHandle stagedFfmKey;
    /** How stageFfm() found the key's slot: Native.KEY_SLOT_*, -1 before. */
    private static volatile long keySlot = -1;
    /** Where stageFfm() found it: an offset from the thread pointer (for the report). */
    private static volatile long keySlotOffset;

    /**
     * A platform thread's key, once valid, stays valid while the thread lives (its Thread
     * object is reachable, so its index is not released): cached per thread, as a Long
     * (a bootstrap class: nothing of carrierid's stays in a long-lived thread's map).
     */
    private static final ThreadLocal<Long> PLATFORM_KEY = new ThreadLocal<Long>() {
        @Override
        protected Long initialValue() {
            return validKey();
        }
    };

    private CarrierKeys() {}

    /** Initialises this class (on carrierid-init). */
    static void touch() {}

    /** Sets up the FFM reader of the key (on carrierid-ffm). */
    static void touchFfm() {
        Reference.reachabilityFence(FfmKey.HANDLE);
    }

    static int index(long key) {
        return (int) key;
    }

    static int localId(long stamp) {
        return (int) stamp;
    }

    /**
     * The calling thread's key as it stands: for a platform thread its valid key; for a
     * virtual thread its carrier's, which may be 0 (none yet) or stale, and then matches
     * no table, so that CarrierLocal calls {@link #validKey()}.
     */
    static long current() {
        if (!Threads.isVirtual(Thread.currentThread())) {
            return PLATFORM_KEY.get();
        }
        return currentOfVirtual();
    }

    /**
     * For a virtual thread: its carrier's key as it stands in the OS thread's storage, read
     * by an FFM critical downcall on 22+ (once set up), else through JNI; 0 or stale possibly.
     */
    static long currentOfVirtual() {
        if (Active.FFM_POSSIBLE) {
            if (VirtualPath.mode() == VirtualPath.FFM && FfmKey.HANDLE != null) {
                try {
                    return (long) FfmKey.HANDLE.invokeExact();
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
            }
        }
        return Native.carrierKey();
    }

    /** The values of the carrier with this key, or null (no key yet, or a stale one). */
    static CarrierValues values(long key) {
        return values(tables, key);
    }

    /**
     * The tables as they stand: to be read before a key, when the key is read by a downcall (fewer loads
     * after the call, which waits for them; any tables read earlier hold every key that was valid then).
     */
    static CarrierValues[] tables() {
        return tables;
    }

    /** {@link #values(long)} in {@code all}, the tables as read before the key. */
    static CarrierValues values(CarrierValues[] all, long key) {
        int index = index(key);
        if (Integer.compareUnsigned(index, all.length) >= 0) { // one compare where hot (21+: an intrinsic, the JIT's own)
            return null;
        }
        CarrierValues values = all[index];
        return values != null && values.key == key ? values : null; // a table's key is never 0 (its generation is not)
    }

    /**
     * Sets the FFM key reader up (on carrierid-ffm, before FfmKey is touched); an Error is thrown,
     * not kept, so that the set-up is retried.
     */
    static void stageFfm() {
        if (!Active.NATIVE_LOADED || !Downcalls.available()) {
            return;
        }
        try {
            MethodHandle handle = keyReader();
            stagedFfmKey = (long) handle.invokeExact() == Native.carrierKey() ? handle : null;
        } catch (VirtualMachineError e) {
            throw e; // Downcalls.find throws one that happened inside the FFM API as such
        } catch (Throwable t) {
            // JNI serves
        }
    }

    /**
     * ()long: where carrier_key.c found and checked the key's slot in the thread descriptor
     * ({@link Native#carrierKeySlot()}), the two loads there (the value, and beside it the sequence
     * word that tells a stale value, as pthread_getspecific checks it); else a call of the C function
     * that asks pthread_getspecific or reads the C thread-local (through glibc's TLS descriptor: about
     * a nanosecond more). Also what the benchmarks' floor row calls.
     */
    static MethodHandle keyReader() throws ReflectiveOperationException {
        long[] found = Native.carrierKeySlot();
        keySlotOffset = found[Native.KEY_SLOT];
        keySlot = found[Native.KEY_SLOT_STATUS];
        if (found[Native.KEY_SLOT_STATUS] == Native.KEY_SLOT_FOUND) {
            MethodHandle at = Downcalls.find("carrierid_carrier_key_at", true, true, long.class, long.class, long.class);
            return MethodHandles.insertArguments(at, 0, found[Native.KEY_SLOT], found[Native.KEY_SLOT_SEQUENCE]);
        }
        return Downcalls.find("carrierid_current_carrier_key", true, true, long.class);
    }

    /** For reports and tests: carrierKeySlot's status as last staged (Native.KEY_SLOT_*), -1 before. */
    static long keySlot() {
        return keySlot;
    }

    /** For the report: how a virtual thread's carrier key is read through FFM; null before it is set up. */
    static String describeKeyRead(Platform platform) {
        long status = keySlot;
        if (status == Native.KEY_SLOT_FOUND) {
            return "with no call: two loads at " + platform.describeSlot(keySlotOffset) + " (libcarrierid's pthread"
                    + " key, its sequence word checked as pthread_getspecific checks it)";
        }
        if (status == Native.KEY_SLOT_THREAD_LOCAL) {
            return "through a call (no pthread key below 30 was free: a C thread-local)";
        }
        if (status == Native.KEY_SLOT_NOT_FOUND) {
            return "through a call (libcarrierid's pthread key not found at one place near the thread pointer)";
        }
        return status < 0 ? null : "through a call (the slot of libcarrierid's pthread key failed its checks)";
    }

    /**
     * The calling OS thread's key, giving it one if it has none or a stale one. On
     * return it is the key of the carrier the caller is on at that moment.
     *
     * <p>A virtual thread may block on the lock below, and on JDK 24+ a virtual thread
     * that blocks on a monitor may resume on another carrier: so which carrier we are on
     * is read again once the lock is held, and from there to storing the key nothing
     * can block.
     */
    static long validKey() {
        while (true) {
            long key = validKeyOnce();
            if (Native.carrierKey() == key) { // this OS thread's own key (not current(): it may call us)
                return key;
            }
        }
    }

    private static long validKeyOnce() {
        LOCK.lock();
        try {
            expunge();
            return keyLocked();
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * For Carrier.thread(): the carrier of the calling OS thread, registered (given a key) if it
     * had none, or null when the lock is busy. Never blocks (no expunge either: a reference
     * queue's poll may park), so that Carrier.thread() is no blocking point: a virtual thread
     * that blocked inside it could come back on another carrier, and the ids its caller read
     * just before would then belong to a carrier other than the one returned.
     */
    static Thread carrierWithoutBlocking() {
        if (!LOCK.tryLock()) {
            return null;
        }
        try {
            CarrierValues values = values(keyLocked());
            return values != null ? values.carrier() : null;
        } finally {
            LOCK.unlock();
        }
    }

    /** Under LOCK: the calling OS thread's valid key, given one if it has none. Nothing in here can block. */
    private static long keyLocked() {
        Thread carrier = Dispatch.carrierThreadSlow(); // not carrierThread(): it may call us
        long key = Native.carrierKey();
        int index = index(key);
        if (key != 0 && index < indexesUsed) {
            Owner owner = owners[index];
            if (owner != null && owner.key == key && owner.get() == carrier) {
                return key;
            }
        }
        index = freeIndex();
        int generation = ++generations[index];
        if (generation == 0) { // wrapped (2^32 carriers on one index): 0 stays "no key" (see values)
            generation = ++generations[index];
        }
        long fresh = ((long) generation << 32) | index;
        Owner owner = new Owner(carrier, fresh);
        owners[index] = owner;
        CarrierValues[] all = tables;
        if (index >= all.length) {
            all = Arrays.copyOf(all, Math.max(index + 1, all.length * 2));
        }
        all[index] = new CarrierValues(fresh, ThreadSlots.KEYED ? ThreadSlots.id(carrier) : -1, owner);
        tables = all; // volatile: the new table (or array) is visible before the key is used
        Native.setCarrierKey(fresh); // on the OS thread of `carrier`: nothing above could block
        return fresh;
    }

    /**
     * Under LOCK: the lowest free index, else (once every ended carrier's index is reclaimed, not
     * only the collected ones') a new one. So an index is always below the peak number of live
     * threads that asked for one ({@link Carrier#index()}): a new index is made only when every
     * index below it belongs to a live thread.
     */
    private static int freeIndex() {
        if (freeIndexCount == 0) {
            reclaimEnded();
        }
        if (freeIndexCount == 0) {
            return newIndex();
        }
        int lowest = 0;
        for (int i = 1; i < freeIndexCount; i++) {
            if (freeIndexes[i] < freeIndexes[lowest]) {
                lowest = i;
            }
        }
        int index = freeIndexes[lowest];
        freeIndexes[lowest] = freeIndexes[--freeIndexCount];
        return index;
    }

    /**
     * Under LOCK: frees the index of every carrier whose thread has ended (or been collected), in
     * one pass: O(indexes), made only when no index is free, so O(1) amortised per index made.
     */
    private static void reclaimEnded() {
        for (int index = 0; index < indexesUsed; index++) {
            Owner owner = owners[index];
            Thread carrier = owner == null ? null : owner.get();
            if (owner != null && (carrier == null || !carrier.isAlive())) {
                release(index);
            }
        }
    }

    /**
     * Under LOCK: drops a carrier's table and frees its index; a reader with the old key then finds no
     * table. Each live CarrierLocal's caches forget the carrier's entry too (O(CarrierLocals)).
     */
    private static void release(int index) {
        CarrierValues table = tables[index];
        long carrierId = table != null ? table.carrierId : -1;
        owners[index] = null;
        tables[index] = null; // all its values, at once
        for (int id = 0; id < idsUsed; id++) {
            LocalRef ref = locals[id];
            CarrierLocal<?> local = ref == null ? null : ref.get();
            if (local != null) {
                local.forgetCarrier(index, carrierId);
            }
        }
        freeIndexes[freeIndexCount++] = index;
    }

    /** For tests: the lock, to hold it while a virtual thread runs. */
    static java.util.concurrent.locks.Lock lockForTests() {
        return LOCK;
    }

    /**
     * CarrierLocal's cache by index, at least {@code length} long: grown under LOCK (see release); null
     * rather than a wait while another thread holds LOCK: only virtual threads cache by index, and one must
     * not block there (it could come back on another carrier with the entry of the one it left).
     */
    static CarrierValues.Entry[] growIndexed(CarrierLocal<?> local, int length) {
        if (!LOCK.tryLock()) {
            return null;
        }
        try {
            return local.growIndexedLocked(length);
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * CarrierLocal's cache by carrier Java id, grown once (doubled, or made) under LOCK (see release); where
     * {@code mayBlock} is false (a virtual thread), null rather than a wait while another thread holds LOCK.
     */
    static CarrierValues.Entry[] growById(CarrierLocal<?> local, boolean mayBlock) {
        if (mayBlock) {
            LOCK.lock();
        } else if (!LOCK.tryLock()) {
            return null;
        }
        try {
            return local.growByIdLocked();
        } finally {
            LOCK.unlock();
        }
    }

    private static int newIndex() {
        int index = indexesUsed++;
        if (index == owners.length) {
            owners = Arrays.copyOf(owners, index * 2);
            generations = Arrays.copyOf(generations, index * 2);
            freeIndexes = Arrays.copyOf(freeIndexes, index * 2);
        }
        return index;
    }

    /** A stamp for a new CarrierLocal. */
    static long register(CarrierLocal<?> local) {
        LOCK.lock();
        try {
            expunge();
            int id;
            if (freeIdCount > 0) {
                id = freeIds[--freeIdCount];
            } else {
                id = idsUsed++;
                if (id == locals.length) {
                    locals = Arrays.copyOf(locals, id * 2);
                    localGenerations = Arrays.copyOf(localGenerations, id * 2);
                    freeIds = Arrays.copyOf(freeIds, id * 2);
                }
            }
            long stamp = ((long) ++localGenerations[id] << 32) | id;
            locals[id] = new LocalRef(local, stamp);
            return stamp;
        } finally {
            LOCK.unlock();
        }
    }

    /** Under LOCK: frees the indexes of collected carriers (see release) and the ids of collected CarrierLocals (O(1) each). */
    private static void expunge() {
        for (Reference<? extends Thread> ref; (ref = ENDED.poll()) != null; ) {
            Owner owner = (Owner) ref;
            int index = index(owner.key);
            if (owners[index] == owner) {
                release(index);
            }
        }
        for (Reference<? extends CarrierLocal<?>> ref; (ref = DROPPED.poll()) != null; ) {
            LocalRef local = (LocalRef) ref;
            int id = localId(local.stamp);
            if (locals[id] == local) {
                locals[id] = null;
                freeIds[freeIdCount++] = id;
            }
        }
    }

    // Inspection for the tests and scripts/stress, from here on. Package-private (so no part of the
    // API: the module exports only public types), and kept here because it reads this class's
    // private state, which the tests could otherwise reach only by reflection.

    /** Each carrier table's entry for this stamp (for tests). */
    static java.util.List<CarrierValues.Entry> entries(long stamp) {
        java.util.List<CarrierValues.Entry> entries = new java.util.ArrayList<>();
        for (CarrierValues values : tables) {
            CarrierValues.Entry entry = values == null ? null : values.get(stamp);
            if (entry != null) {
                entries.add(entry);
            }
        }
        return entries;
    }

    /** How many live keys name this carrier (for tests: one at most). */
    static int keysOf(Thread carrier) {
        LOCK.lock();
        try {
            int keys = 0;
            for (int i = 0; i < indexesUsed; i++) {
                keys += owners[i] != null && owners[i].get() == carrier ? 1 : 0;
            }
            return keys;
        } finally {
            LOCK.unlock();
        }
    }

    /** Each live key and its carrier (for tests' failure messages). */
    static String describe() {
        LOCK.lock();
        try {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < indexesUsed; i++) {
                if (owners[i] != null) {
                    out.append(Long.toHexString(owners[i].key)).append("->").append(owners[i].get()).append(' ');
                }
            }
            return out.toString();
        } finally {
            LOCK.unlock();
        }
    }

    /** How many carriers hold a key now, after dropping the ended ones (for tests). */
    static int liveKeys() {
        LOCK.lock();
        try {
            expunge();
            return indexesUsed - freeIndexCount;
        } finally {
            LOCK.unlock();
        }
    }

    /** How many CarrierLocal ids are in use now, after dropping the collected ones (for tests). */
    static int liveLocals() {
        LOCK.lock();
        try {
            expunge();
            return idsUsed - freeIdCount;
        } finally {
            LOCK.unlock();
        }
    }

    /** The highest CarrierLocal id ever handed out, plus one: what each carrier table may grow to (for tests). */
    static int idsUsed() {
        LOCK.lock();
        try {
            return idsUsed;
        } finally {
            LOCK.unlock();
        }
    }
}
