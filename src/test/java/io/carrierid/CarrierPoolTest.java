package io.carrierid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** Issue 20: CarrierPool's promises, checked against the JDK's own view of carriers and threads. */
class CarrierPoolTest {
    /** A pooled object that knows its holder: two holders at once is the one thing a pool must never do. */
    static final class Pooled {
        final AtomicReference<Thread> holder = new AtomicReference<>();

        void hold() {
            Thread me = Thread.currentThread();
            Thread other = holder.getAndSet(me);
            if (other != null) {
                throw new AssertionError(this + " handed to " + me + " while " + other + " held it");
            }
        }

        void letGo() {
            holder.set(null);
        }
    }

    @Test
    void badInputIsRefusedAsDocumented() {
        assertThrows(IllegalArgumentException.class, () -> CarrierPool.create(-1, Pooled::new));
        assertThrows(NullPointerException.class, () -> CarrierPool.create(1, null));
        CarrierPool<Object> nulls = CarrierPool.create(1, () -> null);
        NullPointerException e = assertThrows(NullPointerException.class, nulls::acquire);
        assertTrue(e.getMessage().contains("CarrierPool[idlePerCarrier=1"), e.getMessage());
        assertThrows(NullPointerException.class, () -> CarrierPool.create(1, Pooled::new).release(null));
    }

    @Test
    void zeroIdleKeepsNothing() {
        AtomicInteger made = new AtomicInteger();
        CarrierPool<Pooled> pool = CarrierPool.create(0, () -> {
            made.incrementAndGet();
            return new Pooled();
        });
        Pooled first = pool.acquire();
        pool.release(first);
        assertNotSame(first, pool.acquire());
        assertEquals(2, made.get());
    }

    @Test
    void aPlatformThreadIsItsOwnCarrier() throws Exception {
        CarrierPool<Pooled> pool = CarrierPool.create(2, Pooled::new);
        Pooled a = pool.acquire();
        Pooled b = pool.acquire();
        assertNotSame(a, b, "held objects are not handed out again");
        pool.release(a);
        pool.release(b);
        Pooled c = pool.acquire();
        assertTrue(c == a || c == b, "an idle object of this thread's is reused");
        Pooled[] other = new Pooled[1];
        Thread t = new Thread(() -> other[0] = pool.acquire());
        t.start();
        t.join();
        assertTrue(other[0] != a && other[0] != b, "another platform thread has idle objects of its own");
        pool.release(c);
        pool.release(new Pooled());
        pool.release(new Pooled()); // a third: beyond idlePerCarrier, dropped
        assertEquals(2, pool.idleCount(), "at most idlePerCarrier kept");
    }

    /**
     * 10^4 virtual threads that block between operations and, half of them, while holding:
     * no object is ever held twice at once; holders that do not block while holding make at
     * most idlePerCarrier objects per carrier; at most that many stay idle.
     */
    @Test
    void virtualThreadsNeverShareAnObjectAndThePoolStaysBounded() throws Exception {
        assumeTrue(Truth.hasVirtualThreads(), "virtual threads need 21+");
        assumeTrue(Carrier.diagnostics().fastPath(), "per-carrier pools need libcarrierid");
        int idle = 2;
        AtomicInteger made = new AtomicInteger();
        CarrierPool<Pooled> pool = CarrierPool.create(idle, () -> {
            made.incrementAndGet();
            return new Pooled();
        });
        Set<Thread> carriers = ConcurrentHashMap.newKeySet();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        runVirtual(10_000, failed, () -> {
            for (int op = 0; op < 4; op++) {
                Pooled p = pool.acquire();
                p.hold();
                Thread carrier = Carrier.thread(); // never a blocking point (its Javadoc)
                p.letGo();
                pool.release(p);
                carriers.add(carrier); // after: a set's monitor could be one, and holders must not block here
                LockSupport.parkNanos(20_000); // a blocking point between operations: the thread may move
            }
        });
        assertEquals(null, failed.get());
        assertTrue(made.get() <= idle * carriers.size(), made + " made for " + carriers.size() + " carriers");
        runVirtual(10_000, failed, () -> {
            Pooled p = pool.acquire();
            p.hold();
            LockSupport.parkNanos(200_000); // blocking while holding: may come back on another carrier
            p.letGo();
            pool.release(p);
        });
        assertEquals(null, failed.get());
        assertTrue(pool.idleCount() <= idle * CarrierKeys.liveKeys(), pool.idleCount() + " idle");
    }

    private static void runVirtual(int threads, AtomicReference<Throwable> failed, Runnable body) throws Exception {
        List<Thread> started = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            started.add(Truth.startVirtualThread(() -> {
                try {
                    body.run();
                } catch (Throwable t) {
                    failed.compareAndSet(null, t);
                }
            }));
        }
        for (Thread t : started) {
            t.join();
        }
    }

    /** Without libcarrierid: one shared pool, bounded, never one per thread; the warning says so. */
    @Test
    void withoutTheLibraryOneSharedBoundedPool(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        ChildJvm.Result r = ChildJvm.probe(List.of("-Dcarrierid.library.path=" + dir.resolve("none.so")),
                "pool-without-library");
        r.assertAllRight();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "EVENT shared pool: made (\\d+) for 2000 threads, idle (\\d+), processors (\\d+)").matcher(r.stdout());
        assertTrue(m.find(), r::toString);
        int processors = Integer.parseInt(m.group(3));
        assertTrue(Integer.parseInt(m.group(2)) <= 2 * processors, r::toString);
        assertTrue(Integer.parseInt(m.group(1)) <= 2 * processors + 64, r::toString); // a few racing holders beyond
        assertTrue(r.diagnosticsJson().contains("CarrierPool one shared pool"), r::toString);
        assertTrue(r.stdout().matches("(?s).*EVENT index without the library: (\\d+) \\1\\n.*"), r::toString);
    }

    /** Under thread churn, in a JVM of its own: distinct, reused, below the peak of live threads that asked. */
    @Test
    void theIndexIsReusedAndStaysBelowThePeak() throws Exception {
        ChildJvm.Result r = ChildJvm.probe(List.of(), "index-churn");
        r.assertAllRight();
        assertTrue(r.stdout().contains("EVENT index: clashes 0, highest ") && r.stdout().contains("below the peak true"),
                r::toString);
    }

    /** The index: one per carrier, the same for a carrier each time, distinct between carriers. */
    @Test
    void theIndexIsOnePerCarrierAndDistinct() throws Exception {
        int mine = Carrier.index();
        assertEquals(mine, Carrier.index());
        int[] other = new int[1];
        Thread t = new Thread(() -> other[0] = Carrier.index());
        t.start();
        t.join();
        assertTrue(other[0] != mine && other[0] >= 0, other[0] + " vs " + mine);
        if (Truth.hasVirtualThreads() && Carrier.diagnostics().fastPath()) {
            ConcurrentHashMap<Thread, Integer> byCarrier = new ConcurrentHashMap<>();
            AtomicReference<Throwable> failed = new AtomicReference<>();
            runVirtual(2_000, failed, () -> {
                for (int op = 0; op < 5; op++) {
                    long before = Truth.osThreadNow();
                    int index = Carrier.index();
                    Thread carrier = Carrier.thread();
                    if (Truth.osThreadNow() == before) {
                        Integer seen = byCarrier.putIfAbsent(carrier, index);
                        if (seen != null && seen != index) {
                            throw new AssertionError(carrier + " had index " + seen + ", now " + index);
                        }
                    }
                    Thread.yield();
                }
            });
            assertEquals(null, failed.get());
            assertEquals(byCarrier.size(), Set.copyOf(byCarrier.values()).size(), byCarrier::toString);
            assertTrue(!byCarrier.containsValue(mine), "a carrier's index is not the live main thread's");
        }
    }
}
