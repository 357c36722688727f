package io.carrierid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** Issue 22: the carrier's CPU clock, against ThreadMXBean's for the same OS thread. */
class CpuTimeTest {
    static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @SuppressWarnings("deprecation")
    static long mxOf(Thread thread) {
        return THREADS.getThreadCpuTime(thread.getId());
    }

    /** Burns CPU on the calling OS thread until its clock has advanced {@code nanos}, with no blocking point. */
    static void spin(long nanos) {
        long start = Carrier.cpuTimeNanos();
        while (Carrier.cpuTimeNanos() - start < nanos) {
            Thread.onSpinWait();
        }
    }

    @Test
    void onAPlatformThreadItIsThreadMXBeansClock() {
        assumeTrue(THREADS.isCurrentThreadCpuTimeSupported());
        for (int i = 0; i < 1_000; i++) {
            long before = THREADS.getCurrentThreadCpuTime();
            long ours = Carrier.cpuTimeNanos();
            long after = THREADS.getCurrentThreadCpuTime();
            assertTrue(before <= ours && ours <= after, before + " <= " + ours + " <= " + after);
        }
    }

    @Test
    void neverDecreasesOnOneThread() {
        long last = Carrier.cpuTimeNanos();
        for (int i = 0; i < 100_000; i++) {
            long now = Carrier.cpuTimeNanos();
            assertTrue(now >= last, now + " after " + last);
            last = now;
        }
    }

    @Test
    void anotherLiveThreadsClockAndNoneForAnEndedOne() throws Exception {
        CountDownLatch spun = new CountDownLatch(1);
        CountDownLatch end = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            spin(5_000_000);
            spun.countDown();
            try {
                end.await();
            } catch (InterruptedException e) {
                // end
            }
        });
        t.start();
        spun.await();
        long before = mxOf(t);
        OptionalLong ours = Carrier.cpuTimeNanosOf(t);
        long after = mxOf(t);
        end.countDown();
        t.join();
        assertTrue(ours.isPresent() && before <= ours.getAsLong() && ours.getAsLong() <= after,
                before + " <= " + ours + " <= " + after);
        assertTrue(ours.getAsLong() >= 5_000_000, ours::toString);
        assertEquals(OptionalLong.empty(), Carrier.cpuTimeNanosOf(t), "ended");
        assertEquals(OptionalLong.empty(), Carrier.cpuTimeNanosOf(new Thread(() -> { })), "not started");
        assertThrows(NullPointerException.class, () -> Carrier.cpuTimeNanosOf(null));
    }

    /**
     * On a virtual thread ThreadMXBean answers -1; carrierid answers with the carrier's clock, which
     * ThreadMXBean reads for the carrier as a platform thread: around a stretch of spinning with no
     * blocking point, the two agree.
     */
    @Test
    void onAVirtualThreadItIsTheCarriersClock() throws Exception {
        assumeTrue(Truth.hasVirtualThreads(), "virtual threads need 21+");
        AtomicReference<String> wrong = new AtomicReference<>();
        Truth.startVirtualThread(() -> {
            long jdk = THREADS.getCurrentThreadCpuTime();
            Thread carrier = Carrier.thread();
            long tid = Carrier.osThreadId();
            long carrierBefore = mxOf(carrier);
            long ours = Carrier.cpuTimeNanos();
            spin(10_000_000);
            long oursAfter = Carrier.cpuTimeNanos();
            long carrierAfter = mxOf(carrier);
            if (Carrier.osThreadId() != tid || Carrier.thread() != carrier) {
                wrong.set("moved without a blocking point");
            } else if (!(carrierBefore <= ours && ours + 10_000_000 <= oursAfter && oursAfter <= carrierAfter)) {
                wrong.set(carrierBefore + " <= " + ours + " < " + oursAfter + " <= " + carrierAfter);
            } else if (jdk != -1) {
                wrong.set("ThreadMXBean answered " + jdk + " on a virtual thread: the gap this fills is closed?");
            }
        }).join();
        assertEquals(null, wrong.get());
    }

    @Test
    void aMountedVirtualThreadGivesItsCarriersClockAnUnmountedOneNone() throws Exception {
        assumeTrue(Truth.hasVirtualThreads() && Carrier.diagnostics().fastPath(), "virtual threads and the fast path");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Thread> carrier = new AtomicReference<>();
        Thread spinner = Truth.startVirtualThread(() -> {
            carrier.set(Carrier.thread());
            while (!stop.get()) {
                Thread.onSpinWait(); // no blocking point: stays on its carrier
            }
        });
        while (carrier.get() == null) {
            Thread.onSpinWait();
        }
        long before = mxOf(carrier.get());
        OptionalLong ours = Carrier.cpuTimeNanosOf(spinner);
        long after = mxOf(carrier.get());
        stop.set(true);
        spinner.join();
        assertTrue(ours.isPresent() && before <= ours.getAsLong() && ours.getAsLong() <= after,
                before + " <= " + ours + " <= " + after);
        CountDownLatch parked = new CountDownLatch(1);
        Thread sleeper = Truth.startVirtualThread(() -> {
            parked.countDown();
            LockSupport.parkNanos(2_000_000_000L);
        });
        parked.await();
        Thread.sleep(50);
        assertEquals(OptionalLong.empty(), Carrier.cpuTimeNanosOf(sleeper), "unmounted while parked");
        LockSupport.unpark(sleeper);
        sleeper.join();
    }

    @Test
    void aSpanOnAPlatformThreadIsItsOwnTime() {
        CpuSpan span = CpuSpan.start();
        spin(5_000_000);
        OptionalLong elapsed = span.elapsed();
        assertTrue(elapsed.isPresent() && elapsed.getAsLong() >= 5_000_000, elapsed::toString);
        assertEquals(Carrier.osThreadId(), span.osThreadId());
    }

    /**
     * measurePinned: 10 ms of spinning and 30 ms asleep, while other virtual threads spin on the
     * carriers. Unpinned, the carrier would run them while ours sleeps, and their time would count.
     */
    @Test
    void measuringPinnedCountsTheWorkAloneThoughItBlocks() throws Exception {
        assumeTrue(Truth.hasVirtualThreads() && Carrier.diagnostics().fastPath(), "virtual threads and the library");
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> others = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            others.add(Truth.startVirtualThread(() -> {
                while (!stop.get()) {
                    spin(100_000);
                    LockSupport.parkNanos(20_000); // as a busy server's threads do (not yield: it can starve new arrivals)
                }
            }));
        }
        long[] pinned = {-2};
        Thread measured = Truth.startVirtualThread(() -> pinned[0] = CpuSpan.measurePinned(() -> {
            spin(10_000_000);
            LockSupport.parkNanos(30_000_000);
        }));
        measured.join(30_000);
        stop.set(true);
        for (Thread t : others) {
            t.join();
        }
        assertFalse(measured.isAlive(), "the measured thread did not finish");
        assertTrue(pinned[0] >= 10_000_000 && pinned[0] < 20_000_000, pinned[0] + " ns");
        assertThrows(IllegalStateException.class, () -> CpuSpan.measurePinned(() -> {
            throw new IllegalStateException("thrown on");
        }));
        assertThrows(NullPointerException.class, () -> CpuSpan.measurePinned(null));
    }

    /** Without libcarrierid: ThreadMXBean, of the carrier on a virtual thread (reflection, opened to the tests). */
    @Test
    void withoutTheLibraryThreadMXBeanOnTheCarrier(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        ChildJvm.Result r = ChildJvm.probe(List.of("-Dcarrierid.library.path=" + dir.resolve("none.so")), "cpu-time");
        r.assertAllRight();
        assertTrue(r.stdout().contains("EVENT cpu platform agrees true"), r::toString);
        if (Truth.hasVirtualThreads()) {
            assertTrue(r.stdout().contains("EVENT cpu virtual agrees true"), r::toString);
        }
        assertFalse(r.stdout().contains("agrees false"), r::toString);
    }
}
