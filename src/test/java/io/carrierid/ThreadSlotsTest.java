package io.carrierid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The table from a platform thread's Java id to its tid and index (PlatformIds' first look), against
 * the JDK's own thread ids and the kernel's tids, including two live threads whose ids share a slot.
 */
class ThreadSlotsTest {

    /** ThreadSlots is initialised once the decision is published (through PlatformIds, on carrierid-init). */
    @BeforeAll
    static void decided() {
        Carrier.osThreadId();
        assertTrue(Init.ready());
    }

    @Test
    void aSlotAnswersOnlyTheIdItWasClaimedFor() {
        long[] table = ThreadSlots.newTable();
        for (long id = 0; id < 3L * ThreadSlots.SIZE; id++) {
            assertEquals(-1, ThreadSlots.get(table, id), "an empty slot answers no id, 0 included: " + id);
        }
        long id = 5 * ThreadSlots.SIZE + 7;
        ThreadSlots.claim(table, id, 123_456);
        assertEquals(123_456, ThreadSlots.get(table, id));
        assertEquals(-1, ThreadSlots.get(table, id + ThreadSlots.SIZE), "same slot, another id");
        assertEquals(-1, ThreadSlots.get(table, id - ThreadSlots.SIZE), "same slot, another id");
        assertEquals(-1, ThreadSlots.get(table, id + 1));

        ThreadSlots.claim(table, id + ThreadSlots.SIZE, 99); // a newer thread on the same slot: its claim wins
        assertEquals(99, ThreadSlots.get(table, id + ThreadSlots.SIZE));
        assertEquals(-1, ThreadSlots.get(table, id), "the older thread is served elsewhere now");

        ThreadSlots.claim(table, id, ThreadSlots.MAX_VALUE);
        assertEquals(ThreadSlots.MAX_VALUE, ThreadSlots.get(table, id), "the largest value kept (a tid is below 2^22)");
    }

    @Test
    void whatDoesNotFitIsNotKept() {
        long[] table = ThreadSlots.newTable();
        long id = 3;
        ThreadSlots.claim(table, id, ThreadSlots.MAX_VALUE + 1);
        ThreadSlots.claim(table, id, -1);
        assertEquals(-1, ThreadSlots.get(table, id));
        ThreadSlots.claim(table, ThreadSlots.MAX_ID, 1);
        assertEquals(1, ThreadSlots.get(table, ThreadSlots.MAX_ID));
        long tooLarge = ThreadSlots.MAX_ID + 1;
        ThreadSlots.claim(table, tooLarge, 2);
        assertEquals(-1, ThreadSlots.get(table, tooLarge));
        assertEquals(-1, ThreadSlots.get(table, Long.MAX_VALUE));
        ThreadSlots.claim(table, -1, 3); // no thread's id (they are positive): refused
        assertEquals(0, table[(int) (-1L & (ThreadSlots.SIZE - 1))], "a refused claim writes nothing");
        assertEquals(1, ThreadSlots.get(table, ThreadSlots.MAX_ID), "untouched by the refused claims");
    }

    /** The id is the JDK's (its field), also for a subclass whose getId() says otherwise. */
    @Test
    void theIdIsTheThreadsOwnEvenWhereGetIdIsOverridden() throws Exception {
        // Where the table is used at all: always on 19+ (threadId() is final), before that where the
        // JDK-internals path was chosen (the field through sun.misc.Unsafe).
        assertEquals(Runtime.version().feature() >= 19 || Active.INTERNALS, ThreadSlots.KEYED);
        if (!ThreadSlots.KEYED) {
            return;
        }
        AtomicReference<Long> seen = new AtomicReference<>();
        @SuppressWarnings("deprecation")
        Thread liar = new Thread(() -> seen.set(ThreadSlots.id(Thread.currentThread()))) {
            @Override
            public long getId() {
                return 42;
            }
        };
        liar.start();
        liar.join();
        assertEquals(Truth.javaThreadId(liar), seen.get());
        assertNotEquals(42L, seen.get());
        assertEquals(Truth.javaThreadId(Thread.currentThread()), ThreadSlots.id(Thread.currentThread()));
    }

    /**
     * Two live threads whose ids fall on one slot each get their own ids (SharedSlotProbe). Here
     * where the table is used with the tests' options (19+); before 19 it is used only with the
     * JDK-internals path, which the tests' options turn off: see JdkInternalsTest.
     */
    @Test
    void threadsSharingASlotEachGetTheirOwnIds() throws Exception {
        List<String> wrong = new ArrayList<>();
        boolean ran = SharedSlotProbe.run(wrong);
        assertEquals(ThreadSlots.KEYED && Active.NATIVE_LOADED, ran);
        if (!ran) {
            assertEquals(-1, PlatformIds.tidInSlot(Thread.currentThread()));
        }
        assertTrue(wrong.isEmpty(), () -> String.join("; ", wrong));
    }
}
