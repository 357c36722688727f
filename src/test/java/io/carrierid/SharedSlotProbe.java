package io.carrierid;

import java.util.Collection;
import java.util.concurrent.CountDownLatch;

/**
 * Two live platform threads whose Java ids fall on one slot of PlatformIds' tables (ThreadSlots):
 * the second to ask takes the slot, the first is served by its ThreadLocals from then on; both get
 * their own tid (against the kernel) and keep their own, distinct index and CarrierLocal value (cached
 * by that index, then in a ThreadLocal once the slot is taken), through the public API and
 * through PlatformIds itself (on 17 with the JDK-internals path, osThreadId() does not go through
 * PlatformIds, carrier indexes do). Run in the tests' JVM (ThreadSlotsTest) and in a child JVM with
 * that path on (JdkInternalsTest).
 */
final class SharedSlotProbe {
    /** Each thread's value is made by it (its kernel tid): cached by carrier index, or in a ThreadLocal once evicted. */
    private static final CarrierLocal<long[]> LOCAL = CarrierLocal.withInitial(new TidValue());

    private SharedSlotProbe() {}

    /** Adds what was wrong to {@code wrong}; false where the tables are not used here (nothing checked). */
    static boolean run(Collection<String> wrong) throws InterruptedException {
        Carrier.osThreadId();
        if (!Init.ready() || !ThreadSlots.KEYED || !Active.NATIVE_LOADED) {
            return false;
        }
        CountDownLatch firstAsked = new CountDownLatch(1);
        CountDownLatch secondAsked = new CountDownLatch(1);
        long[] firstIndex = new long[1];
        Thread first = new Thread(() -> {
            firstIndex[0] = Carrier.index();
            check("first, alone in its slot", true, firstIndex[0], wrong);
            long[] value = LOCAL.get();
            firstAsked.countDown();
            await(secondAsked);
            check("first, its slot taken by the second", false, firstIndex[0], wrong);
            if (LOCAL.get() != value) {
                add(wrong, "first: another CarrierLocal value once its slot was taken");
            }
        }, "slot-first");
        first.start();
        firstAsked.await();
        Thread second = null;
        for (int made = 0; made < 4 * ThreadSlots.SIZE && second == null; made++) {
            Thread candidate = new Thread(() -> {
                int index = Carrier.index();
                check("second", true, index, wrong);
                if (index == firstIndex[0]) {
                    add(wrong, "second: the first's index " + index + ", both alive");
                }
                secondAsked.countDown();
                try {
                    first.join(); // both alive while the first asks again
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "slot-second");
            if ((Truth.javaThreadId(candidate) - Truth.javaThreadId(first)) % ThreadSlots.SIZE == 0) {
                second = candidate; // the others are never started: they only used up ids
            }
        }
        if (second == null) {
            add(wrong, "no thread id on the first's slot in " + 4 * ThreadSlots.SIZE + " new threads");
            secondAsked.countDown();
            first.join();
            return true;
        }
        second.start();
        first.join();
        second.join();
        return true;
    }

    /** This thread's ids, through the API and PlatformIds, against the kernel and {@code index}. */
    private static void check(String who, boolean inSlot, long index, Collection<String> wrong) {
        Thread self = Thread.currentThread();
        long kernel = Truth.kernelTid();
        long api = Carrier.osThreadId();
        long cached = PlatformIds.tid();
        if (api != kernel || cached != kernel) {
            add(wrong, who + ": osThreadId " + api + ", PlatformIds.tid " + cached + ", kernel " + kernel);
        }
        long[] value = LOCAL.get();
        if (value[0] != kernel || LOCAL.get() != value) {
            add(wrong, who + ": CarrierLocal value made on " + value[0] + ", kernel " + kernel);
        }
        if (Carrier.index() != index || PlatformIds.index() != index) {
            add(wrong, who + ": index " + Carrier.index() + ", PlatformIds.index " + PlatformIds.index() + ", was " + index);
        }
        long tidSlot = PlatformIds.tidInSlot(self);
        long indexSlot = PlatformIds.indexInSlot(self);
        if (inSlot ? tidSlot != kernel || indexSlot != index : tidSlot != -1 || indexSlot != -1) {
            add(wrong, who + ": slots hold tid " + tidSlot + ", index " + indexSlot + " (kernel " + kernel
                    + ", index " + index + ", expected " + (inSlot ? "its own" : "another's") + ")");
        }
    }

    /** A class, not a lambda (see Init). */
    private static final class TidValue implements java.util.function.Supplier<long[]> {
        @Override
        public long[] get() {
            return new long[] {Truth.kernelTid()};
        }
    }

    private static void add(Collection<String> wrong, String what) {
        synchronized (wrong) {
            wrong.add(what);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
