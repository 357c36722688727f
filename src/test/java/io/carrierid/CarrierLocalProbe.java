package io.carrierid;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CarrierLocal in a child JVM whatever its paths (JdkInternalsTest runs it where virtual threads
 * keep their cache in their carrier's map): each value against the kernel's tid of the thread that
 * made it and of the thread that got it, one value per carrier, and a carrier's own calls and its
 * virtual threads' seeing one value. Adds what is wrong to {@code wrong}.
 */
final class CarrierLocalProbe {
    private CarrierLocalProbe() {}

    /**
     * A value that remembers the OS thread it was made on. Read before and after: a
     * supplier that blocks may end on another carrier, and such a value has no one carrier.
     */
    static final class Made {
        final long tid = Truth.kernelTid();
        final long tidAfter = Truth.kernelTid();

        boolean madeOn(long carrier) {
            return tid != tidAfter || tid == carrier;
        }
    }

    static void run(Queue<String> wrong, AtomicLong checked) throws Exception {
        if (Init.published() && Active.INTERNALS_EVERY_THREAD && !VirtualPath.internalsForAll()) {
            wrong.add("java.lang is open, but virtual threads are not served by the JDK-internals path");
        }
        oneValuePerCarrier(CarrierLocal.withInitial(Made::new), 500, wrong, checked);
        sharedWithTheCarrier(wrong, checked);
    }

    /**
     * {@code threads} virtual threads get {@code local}'s value 10 times each, yielding between: each
     * value must have been made on the carrier (kernel tid) that gets it, and every get() on a carrier
     * must return the value first seen there. Returns how many carriers were seen.
     */
    static int oneValuePerCarrier(CarrierLocal<Made> local, int threads, Queue<String> wrong, AtomicLong checked)
            throws InterruptedException {
        Map<Long, Made> kept = new ConcurrentHashMap<>();
        Map<Long, Integer> indexes = new ConcurrentHashMap<>();
        List<Thread> started = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            started.add(Truth.startVirtualThread(() -> {
                for (int r = 0; r < 10; r++) {
                    Made value = local.get();
                    long kernel = Truth.kernelTid(); // no blocking point since get(): the same carrier
                    checked.incrementAndGet();
                    if (!value.madeOn(kernel)) {
                        wrong.add("CarrierLocal: the value made on " + value.tid + " got on carrier " + kernel);
                    }
                    Made first = kept.putIfAbsent(kernel, value);
                    if (first != null && first != value) {
                        wrong.add("CarrierLocal: two values on carrier " + kernel);
                    }
                    int index = Carrier.index(); // a carrier's first ask may block (a lock): the carrier after it
                    if (Truth.kernelTid() == kernel) {
                        Integer seen = indexes.putIfAbsent(kernel, index);
                        if (seen != null && seen != index) {
                            wrong.add("Carrier.index(): carrier " + kernel + " had " + seen + ", now " + index);
                        }
                    }
                    Thread.yield();
                }
            }));
        }
        for (Thread t : started) {
            t.join();
        }
        checked.incrementAndGet();
        if (Set.copyOf(indexes.values()).size() != indexes.size()) { // the scheduler's carriers all live meanwhile
            wrong.add("Carrier.index(): carriers share an index: " + indexes);
        }
        return kept.size();
    }

    /**
     * Our own platform thread as a custom scheduler's carrier: its calls and its virtual threads' see
     * one value, which is also the one in the carrier's table (the cache is no copy). The first use
     * is a virtual thread's, so that where java.lang is open it fills the carrier's map.
     */
    private static void sharedWithTheCarrier(Queue<String> wrong, AtomicLong checked) throws Exception {
        ExecutorService carrier = Executors.newSingleThreadExecutor();
        try {
            CarrierLocal<Object> local = CarrierLocal.withInitial(Object::new);
            Object[] seen = new Object[3];
            if (!runOn(carrier, () -> {
                seen[0] = local.get();
                seen[1] = local.get();
            })) {
                return; // no custom scheduler on this JDK
            }
            Object carrierSees = carrier.submit(local::get).get();
            expect(wrong, checked, seen[0] == seen[1] && carrierSees == seen[0], "a virtual thread saw " + seen[0]
                    + " and " + seen[1] + ", its carrier then " + carrierSees);
            sameIdsAsTheCarrier(carrier, wrong, checked);
            runOn(carrier, () -> local.set("set by a virtual thread"));
            carrierSees = carrier.submit(local::get).get();
            expect(wrong, checked, "set by a virtual thread".equals(carrierSees), "the carrier then saw " + carrierSees);
            expect(wrong, checked, local.values().equals(List.of(carrierSees)), "the carrier table holds "
                    + local.describe() + " where its threads see " + carrierSees);
            carrier.submit(() -> local.set("set by the carrier")).get();
            runOn(carrier, () -> {
                seen[0] = local.get();
                seen[1] = local.getAndSet("swapped by a virtual thread");
                local.remove();
                seen[2] = local.get();
            });
            expect(wrong, checked, "set by the carrier".equals(seen[0]) && "set by the carrier".equals(seen[1]),
                    "after the carrier's set a virtual thread saw " + seen[0] + " and swapped out " + seen[1]);
            Object fresh = carrier.submit(local::get).get();
            expect(wrong, checked, fresh == seen[2] && !(fresh instanceof String), "after a virtual thread's remove()"
                    + " and get() it had " + seen[2] + ", the carrier " + fresh);
            expect(wrong, checked, local.values().equals(List.of(fresh)), "the carrier table holds " + local.describe()
                    + " where its threads see " + fresh);
        } finally {
            carrier.shutdown();
        }
    }

    /**
     * A virtual thread on our own carrier gets the carrier's kernel tid and the carrier's index, which
     * the carrier also gets by its key (CarrierKeys, not the tables by Java id); the carrier's slots,
     * which a virtual thread may have claimed for it, hold its own tid and index, or are another's.
     */
    private static void sameIdsAsTheCarrier(ExecutorService carrier, Queue<String> wrong, AtomicLong checked)
            throws Exception {
        long[] virtual = new long[2];
        runOn(carrier, () -> {
            virtual[0] = Carrier.osThreadId();
            virtual[1] = Carrier.index();
        });
        Thread carrierThread = carrier.submit(Thread::currentThread).get();
        long tid = carrier.submit(Truth::kernelTid).get();
        int byKey = carrier.submit(() -> CarrierKeys.index(CarrierKeys.current())).get();
        int own = carrier.submit(Carrier::index).get();
        expect(wrong, checked, virtual[0] == tid && virtual[1] == byKey && own == byKey, "a virtual thread on the carrier"
                + " (kernel tid " + tid + ", index by its key " + byKey + ", its own Carrier.index() " + own + ") got tid "
                + virtual[0] + ", index " + virtual[1]);
        long tidSlot = PlatformIds.tidInSlot(carrierThread);
        long indexSlot = PlatformIds.indexInSlot(carrierThread);
        expect(wrong, checked, (tidSlot == -1 || tidSlot == tid) && (indexSlot == -1 || indexSlot == byKey),
                "the carrier's slots hold tid " + tidSlot + ", index " + indexSlot + " (its tid " + tid + ", index " + byKey + ")");
    }

    private static boolean runOn(ExecutorService carrier, Runnable task) throws InterruptedException {
        Thread v = Truth.virtualThreadOn(carrier, task);
        if (v == null) {
            return false;
        }
        v.start();
        v.join();
        return true;
    }

    private static void expect(Queue<String> wrong, AtomicLong checked, boolean right, String what) {
        checked.incrementAndGet();
        if (!right) {
            wrong.add("CarrierLocal: " + what);
        }
    }
}
