package io.carrierid;

import java.lang.invoke.MethodHandle;
import java.lang.ref.Cleaner;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Gives each carrier OS thread a key for {@link CarrierLocal}: a small index
 * (the slot in every CarrierLocal's table) and a generation, packed as
 * {@code generation << 32 | index}. The key lives in the OS thread's own C
 * thread-local (carrier_key.c), so a new OS thread starts without one even
 * when it reuses an old thread's tid or JavaThread address.
 *
 * <p>When a carrier's {@code Thread} object becomes unreachable (only possible
 * once the thread has ended), a {@link Cleaner} clears its slot in every
 * CarrierLocal, so its values become collectable, and only then returns the
 * index for reuse under the next generation. A key whose generation is not the
 * index's current one matches no entry, so a stale key can never read another
 * thread's value.
 */
final class CarrierKeys {
    private static final Cleaner CLEANER = Cleaner.create();

    /** Guards everything below. Only slow paths (first use per carrier, release) take it. */
    private static final Object LOCK = new Object();
    private static final List<Owner> OWNERS = new ArrayList<>();     // by index
    private static final List<Integer> GENERATIONS = new ArrayList<>(); // by index
    private static final ArrayDeque<Integer> FREE = new ArrayDeque<>();
    private static final List<WeakReference<CarrierLocal<?>>> LOCALS = new ArrayList<>();

    /** Whose an index is: the carrier thread, weakly, and the key it was given. */
    private static final class Owner extends WeakReference<Thread> {
        final long key;

        Owner(Thread carrier, long key) {
            super(carrier);
            this.key = key;
        }
    }

    /** FFM critical downcall to carrier_key.c's reader, ()long, on 22+; set up on first use from a virtual thread. */
    private static final class FfmKey {
        static final MethodHandle HANDLE = ffmKey(); // null: JNI serves

        private FfmKey() {}
    }

    /**
     * A platform thread's key, once valid, stays valid while the thread lives (its Thread
     * object is reachable, so its index is not released): cached per thread. An anonymous
     * subclass rather than a lambda, to keep first use cheap.
     */
    private static final ThreadLocal<Long> PLATFORM_KEY = new ThreadLocal<Long>() {
        @Override
        protected Long initialValue() {
            return validKey();
        }
    };

    private CarrierKeys() {}

    /**
     * The calling thread's key as it stands: for a platform thread its valid key; for a
     * virtual thread its carrier's, which may be 0 (none yet) or stale, and then matches
     * no entry, so that CarrierLocal calls {@link #validKey()}.
     */
    static long current() {
        if (!Threads.isVirtual(Thread.currentThread())) {
            return PLATFORM_KEY.get();
        }
        if (FfmKey.HANDLE != null) {
            try {
                return (long) FfmKey.HANDLE.invokeExact();
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
        return Native.carrierKey();
    }

    private static MethodHandle ffmKey() {
        if (!Active.NATIVE_LOADED || !Downcalls.available()) {
            return null;
        }
        try {
            MethodHandle handle = Downcalls.find("carrierid_ffm_carrier_key", true, true, long.class);
            return (long) handle.invokeExact() == Native.carrierKey() ? handle : null;
        } catch (Throwable t) {
            return null; // JNI serves
        }
    }

    static int index(long key) {
        return (int) key;
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
            // The Cleaner's registration below can block, and so move a virtual thread: make
            // sure the key returned is the key of the carrier the caller is on now.
            if (Native.carrierKey() == key) { // this OS thread's own key (not current(): it may call us)
                return key;
            }
        }
    }

    private static long validKeyOnce() {
        synchronized (LOCK) {
            Thread carrier = Carrier.thread();
            long key = Native.carrierKey();
            if (key != 0 && index(key) < OWNERS.size()) {
                Owner owner = OWNERS.get(index(key));
                if (owner != null && owner.key == key && owner.get() == carrier) {
                    return key;
                }
            }
            int index = FREE.isEmpty() ? OWNERS.size() : FREE.pop();
            if (index == OWNERS.size()) {
                OWNERS.add(null);
                GENERATIONS.add(0);
            }
            int generation = GENERATIONS.get(index) + 1;
            GENERATIONS.set(index, generation);
            long fresh = ((long) generation << 32) | index;
            Native.setCarrierKey(fresh); // on the OS thread of `carrier`: nothing above could block
            OWNERS.set(index, new Owner(carrier, fresh));
            CLEANER.register(carrier, new Release(fresh));
            return fresh;
        }
    }

    /** Runs on the Cleaner's thread once a carrier's Thread object is unreachable. Holds no reference to it. */
    private static final class Release implements Runnable {
        private final long key;

        Release(long key) {
            this.key = key;
        }

        @Override
        public void run() {
            synchronized (LOCK) {
                int index = index(key);
                Owner owner = OWNERS.get(index);
                if (owner == null || owner.key != key) {
                    return;
                }
                for (Iterator<WeakReference<CarrierLocal<?>>> it = LOCALS.iterator(); it.hasNext(); ) {
                    CarrierLocal<?> local = it.next().get();
                    if (local == null) {
                        it.remove();
                    } else {
                        local.release(key);
                    }
                }
                OWNERS.set(index, null);
                FREE.push(index);
            }
        }
    }

    static void register(CarrierLocal<?> local) {
        synchronized (LOCK) {
            LOCALS.add(new WeakReference<>(local));
        }
    }

    /** How many live keys name this carrier (for tests: one at most). */
    static int keysOf(Thread carrier) {
        synchronized (LOCK) {
            int keys = 0;
            for (Owner owner : OWNERS) {
                keys += owner != null && owner.get() == carrier ? 1 : 0;
            }
            return keys;
        }
    }

    /** Each live key and its carrier (for tests' failure messages). */
    static String describe() {
        synchronized (LOCK) {
            StringBuilder out = new StringBuilder();
            for (Owner owner : OWNERS) {
                if (owner != null) {
                    out.append(Long.toHexString(owner.key)).append("->").append(owner.get()).append(' ');
                }
            }
            return out.toString();
        }
    }

    /** How many carriers hold a key now (for tests: released keys do not count). */
    static int liveKeys() {
        synchronized (LOCK) {
            int live = 0;
            for (Owner owner : OWNERS) {
                live += owner != null ? 1 : 0;
            }
            return live;
        }
    }
}
