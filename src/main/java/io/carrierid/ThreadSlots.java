package io.carrierid;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;

/**
 * Direct-mapped tables (a {@code long[]} each, kept in a static final) from a platform thread's
 * Java id ({@code Thread.threadId()}) to a small number fixed for that thread's life (its kernel
 * tid, its carrier index): what {@link PlatformIds} reads before its ThreadLocals. A hit is two
 * loads (the thread's id field, then one slot) where {@code ThreadLocal.get()} walks the thread's map.
 *
 * <p>Exact, because a Java thread id is never reused in a JVM's life: a slot holds, in one
 * {@code long} written and read atomically, the value and the whole id plus one (so that an empty slot
 * matches no id: a thread's id is positive, {@code Thread.threadId()}), so a slot filled for one thread
 * can never answer another, however old it is. (The whole id rather than the part its index does not
 * say: one shift fewer per look.) Two threads whose ids fall on one slot: the newer claim
 * wins and the other thread is served by its ThreadLocal, as before this table; each thread claims
 * at most once in its life, so colliding threads never fight over a cache line.
 *
 * <p>The id is read by {@code Thread.threadId()} (final, JDK 19+). Before 19, {@code getId()}
 * may be overridden by a subclass, so the field itself is read, through {@code sun.misc.Unsafe} at
 * the field's offset, and only where the JDK-internals path was chosen (which reads {@code eetop}
 * so, see {@link JdkInternals}); elsewhere no id is had and this table is not used.
 * Initialised on carrierid-init (through PlatformIds) just before the decision is published, never
 * on a caller's stack: {@link #KEYED} is read only once it is (before JDK 19 it reads Active).
 */
final class ThreadSlots {
    /** Slots per table: 4096 longs (32 KB). A power of two: the index is the id's low bits. */
    static final int SIZE = 1 << 12;
    /** A value has at most 22 bits: a tid is below 2^22 on Linux (PID_MAX_LIMIT on 64-bit). */
    static final int VALUE_BITS = 22;
    static final long MAX_VALUE = (1L << VALUE_BITS) - 1;
    /** Larger ids are not kept (the id plus one must fit the 42 bits above the value); nor are they ever matched. */
    static final long MAX_ID = (1L << (64 - VALUE_BITS)) - 2;

    /** (Thread)long: the thread's id, read from its field; null where not had (see the class comment). */
    private static final MethodHandle ID = idReader();
    /**
     * Atomic reads and writes of a long slot (a plain long may be split on some JVMs, per the JLS); null
     * where it could not be made (an Error on carrierid-init: the tables are then not used, rather than
     * this class, and PlatformIds with it, left unusable for the JVM's life).
     */
    private static final VarHandle SLOT = slotHandle();
    /** Whether the tables are used: a static final, so that where not, the JIT folds them away. */
    static final boolean KEYED = ID != null && SLOT != null;

    private ThreadSlots() {}

    /** An empty table: to be kept in a static final (so that the JIT knows its length: no bounds check). */
    static long[] newTable() {
        return new long[SIZE];
    }

    /** The thread's Java id, from its field; only where {@link #KEYED}. */
    static long id(Thread thread) {
        try {
            return (long) ID.invokeExact(thread);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t); // a field read: never
        }
    }

    /** The value claimed for the thread with this id, or -1 where its slot holds another's (or none). */
    static long get(long[] table, long id) {
        long slot = (long) SLOT.getOpaque(table, (int) id & (SIZE - 1));
        return slot >>> VALUE_BITS == id + 1 ? slot & MAX_VALUE : -1; // 0 (empty) answers no id from 0 on
    }

    /** Claims the slot of the thread with this id for {@code value}; nothing where either does not fit. */
    static void claim(long[] table, long id, long value) {
        long slot = slot(id, value);
        if (slot != 0) {
            SLOT.setOpaque(table, (int) id & (SIZE - 1), slot);
        }
    }

    /**
     * Claims the slot of the thread with this id for {@code value} where the slot is empty; nothing
     * where another thread holds it, or either does not fit. For claims made on a thread's behalf
     * (a virtual thread's, for its carrier), which may come at each miss: so they never take a slot
     * from another thread, nor two threads take one in turns.
     */
    static void claimIfEmpty(long[] table, long id, long value) {
        long slot = slot(id, value);
        int at = (int) id & (SIZE - 1);
        if (slot != 0 && (long) SLOT.getOpaque(table, at) == 0) {
            SLOT.compareAndSet(table, at, 0L, slot);
        }
    }

    /** What the slot of the thread with this id holds once claimed for {@code value}; 0 (no claim) where either does not fit. */
    private static long slot(long id, long value) {
        if (id < 0 || id > MAX_ID || value < 0 || value > MAX_VALUE) {
            return 0;
        }
        return (id + 1) << VALUE_BITS | value;
    }

    private static VarHandle slotHandle() {
        try {
            return MethodHandles.arrayElementVarHandle(long[].class);
        } catch (Throwable t) {
            return null;
        }
    }

    /**
     * {@code Thread.threadId()} on 19+; before 19 {@code Thread.tid} through sun.misc.Unsafe where the
     * JDK-internals path was chosen, and checked against {@code getId()} of this thread (carrierid-init,
     * a plain Thread); else null.
     */
    private static MethodHandle idReader() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "threadId", MethodType.methodType(long.class));
        } catch (ReflectiveOperationException e) {
            // before 19
        }
        if (!Active.INTERNALS) {
            return null;
        }
        try {
            MethodHandle field = JdkInternals.threadLongField("tid");
            Thread self = Thread.currentThread();
            return (long) field.invokeExact(self) == self.getId() ? field : null;
        } catch (Throwable t) {
            return null; // the ThreadLocals serve
        }
    }
}
