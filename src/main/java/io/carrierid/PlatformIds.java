package io.carrierid;

/**
 * A platform thread's ids, looked up once per thread: a platform thread runs on
 * one OS thread and one JavaThread for its whole life, so caching is exact
 * there (and only there: a virtual thread's carrier changes, so a virtual
 * thread is served from here only through its carrier's Java id, read at the
 * call where {@link Dispatch#carrierIds()}: {@link #carrierTid()},
 * {@link #carrierIndex()}). Used only once the decision is published, so
 * nothing provisional is ever cached.
 *
 * <p>Where the thread's Java id can be read ({@link ThreadSlots#KEYED}), the tid and the index
 * are first looked up in a table keyed by it (two loads; JMH on 25, platform thread: osThreadId()
 * 0.56-0.62 ns, ThreadLocal.get() 1.09-1.43 in the same runs; through the {@code ThreadLocal<Long>} 1.30-1.79);
 * the ThreadLocals below fill it, once per thread, and serve a thread whose slot another has claimed.
 *
 * <p>Each id is kept boxed ({@code Long}, {@code Integer}: classes of the
 * bootstrap loader): a long-lived thread's map then holds nothing of
 * carrierid's class loader, and an application server can unload it. One
 * ThreadLocal per id, so that a call reads one field of what the map holds
 * (JMH on 25: osThreadId() 1.34 ns through a {@code Long}, 1.51 through a
 * {@code long[]} and its length check; ThreadLocal.get() 1.06).
 *
 * <p>The ThreadLocals are anonymous subclasses, not withInitial: see Init on
 * lambdas. The tid and the JavaThread come from the kernel's and HotSpot's own
 * answers (gettid, eetop) wherever libcarrierid is loaded, never from the TLS
 * walk: those are exact on every kind of platform thread, also on one HotSpot
 * did not start (the launcher's main thread, an embedder's primordial thread,
 * JNI-attached and FFM-upcall threads), and cost one syscall per thread's life.
 * Where the JDK-internals path was chosen, the tid is read its way (eetop, then
 * the OSThread's id, verified at initialisation, as that path serves any call):
 * no native call there.
 */
final class PlatformIds {
    private static final long[] TID_SLOTS = ThreadSlots.newTable();

    /** The tid; -1 where none exists (Diagnostics.Path.UNAVAILABLE). */
    private static final ThreadLocal<Long> TIDS = new ThreadLocal<Long>() {
        @Override
        protected Long initialValue() {
            long tid = firstTid();
            if (ThreadSlots.KEYED) {
                ThreadSlots.claim(TID_SLOTS, ThreadSlots.id(Thread.currentThread()), tid); // once in this thread's life
            }
            return tid;
        }
    };

    /** The JavaThread; 0 without libcarrierid. */
    private static final ThreadLocal<Long> JAVA_THREADS = new ThreadLocal<Long>() {
        @Override
        protected Long initialValue() {
            return Active.NATIVE_LOADED ? Native.eetop(Thread.currentThread()) : 0;
        }
    };

    /** Carrier.index(), once asked (null before: claimedIndex() sets it): a live platform thread keeps its index. */
    private static final ThreadLocal<Integer> INDEXES = new ThreadLocal<>();
    private static final long[] INDEX_SLOTS = ThreadSlots.newTable();

    private PlatformIds() {}

    /**
     * This platform thread's tid, looked up: through the JDK-internals path where it was chosen and
     * verified (so that with java.lang open no native call is made at all), else gettid through JNI,
     * else the portable path; -1 where none exists.
     */
    private static long firstTid() {
        if (Active.INTERNALS) {
            long tid = ActiveInternals.osThreadId();
            if (tid > 0) {
                return tid;
            }
        }
        if (Active.NATIVE_LOADED) {
            return Native.gettid();
        }
        return Active.PATH == Diagnostics.Path.UNAVAILABLE ? -1 : Dispatch.osThreadIdJni();
    }

    /** This platform thread's tid. */
    static long tid() {
        if (ThreadSlots.KEYED) {
            long tid = tidInSlot();
            if (tid >= 0) {
                return tid;
            }
        }
        return TIDS.get();
    }

    /**
     * The tid in the slot of the calling thread's Java id, or -1 where it holds another thread's (or none):
     * always -1 for a virtual thread, whose id no slot is claimed for. Only where {@link ThreadSlots#KEYED}.
     */
    private static long tidInSlot() {
        return tidInSlot(ThreadSlots.id(Thread.currentThread()));
    }

    private static long tidInSlot(long id) {
        return ThreadSlots.get(TID_SLOTS, id);
    }

    /** This platform thread's JavaThread. */
    static long javaThread() {
        return JAVA_THREADS.get();
    }

    /** This platform thread's carrier index, or -1 before it asked for one (claimedIndex). */
    static int index() {
        if (ThreadSlots.KEYED) {
            long index = indexInSlot(ThreadSlots.id(Thread.currentThread()));
            if (index >= 0) {
                return (int) index;
            }
        }
        Integer index = INDEXES.get();
        return index != null ? index : -1;
    }

    /**
     * This platform thread's carrier index, set at its first ask (its key's, which CarrierKeys may give
     * it under a lock): once in its life, the table's slot claimed then (a live platform thread keeps its index).
     */
    static int claimedIndex() {
        int index = index();
        if (index < 0) {
            index = CarrierKeys.index(CarrierKeys.current());
            INDEXES.set(index);
            if (ThreadSlots.KEYED) {
                ThreadSlots.claim(INDEX_SLOTS, ThreadSlots.id(Thread.currentThread()), index);
            }
        }
        return index;
    }

    /**
     * Where {@link Dispatch#carrierIds()}: the tid of the caller's carrier (a platform thread is its own).
     * Its slot by the carrier's Java id (a carrier is a platform thread: its tid is fixed for its life);
     * else a platform thread's own as {@link #tid()} has it (claiming its slot once in its life), and a
     * virtual thread's carrier's by the walk from its eetop, which fills the carrier's slot if nobody
     * holds it; the same carrier throughout (no blocking point in between).
     */
    static long carrierTid() {
        Thread carrier = ActiveInternals.carrier();
        long id = ThreadSlots.id(carrier);
        long tid = tidInSlot(id);
        if (tid >= 0) {
            return tid;
        }
        if (carrier == Thread.currentThread()) {
            return TIDS.get();
        }
        tid = ActiveInternals.osThreadIdOf(carrier);
        if (tid <= 0) {
            return Native.gettid(); // no JavaThread or OSThread (never seen on a live carrier)
        }
        ThreadSlots.claimIfEmpty(TID_SLOTS, id, tid);
        return tid;
    }

    /**
     * Where the JDK-internals path serves virtual threads: the carrier index of the carrier running the
     * calling virtual thread, from its slot, or -1 before one is claimed for it ({@link #claimCarrierIndex}).
     */
    static int carrierIndex() {
        return (int) indexInSlot(ThreadSlots.id(ActiveInternals.carrier()));
    }

    /**
     * Where the JDK-internals path serves virtual threads: claims the slot of the carrier running the
     * calling virtual thread for its index, where nobody holds it and {@code key} is seen to be that
     * carrier's own (its table's owner: a key read from the OS thread could be a former thread's).
     * A carrier keeps its key, so its index, while it lives, as any platform thread does.
     */
    static void claimCarrierIndex(long key) {
        Thread carrier = ActiveInternals.carrier();
        CarrierValues values = CarrierKeys.values(key);
        if (values != null && values.carrier() == carrier) {
            ThreadSlots.claimIfEmpty(INDEX_SLOTS, ThreadSlots.id(carrier), CarrierKeys.index(key));
        }
    }

    /** Initialises this class (on carrierid-init). */
    static void touch() {}

    /** For tests: the tid in the table's slot of this thread, or -1 where the slot is another's or no id is had. */
    static long tidInSlot(Thread thread) {
        return ThreadSlots.KEYED ? tidInSlot(ThreadSlots.id(thread)) : -1;
    }

    /** For tests: the index in the table's slot of this thread, or -1 where the slot is another's or no id is had. */
    static long indexInSlot(Thread thread) {
        return ThreadSlots.KEYED ? indexInSlot(ThreadSlots.id(thread)) : -1;
    }

    /**
     * The carrier index in the table's slot of the platform thread with this Java id ({@link ThreadSlots#id}),
     * or -1 where the slot is another's (always for a virtual thread: none claims one). Only where
     * {@link ThreadSlots#KEYED}.
     */
    static long indexInSlot(long id) {
        return ThreadSlots.get(INDEX_SLOTS, id);
    }
}
