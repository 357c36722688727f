package io.carrierid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** Carrier.thread() and Carrier.osThreadIdOf(Thread) against the kernel and the JDK's own fields. */
class CarrierThreadTest {

    @Test
    void threadIsTheCallerOnAPlatformThread() throws Exception {
        assertSame(Thread.currentThread(), Carrier.thread());
        Thread[] seen = new Thread[1];
        Thread t = new Thread(() -> seen[0] = Carrier.thread());
        t.start();
        t.join();
        assertSame(t, seen[0]);
    }

    /** 10^4 virtual threads, each remounting many times; after every remount all answers agree with the kernel. */
    @Test
    void manyVirtualThreadsRemountingSeeTheirCurrentCarrier() throws Exception {
        assumeTrue(Truth.hasVirtualThreads(), "virtual threads need JDK 21+");
        int threads = 10_000;
        int remounts = 10;
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        AtomicLong checked = new AtomicLong();
        AtomicLong moved = new AtomicLong();
        List<Thread> started = new ArrayList<>(threads);
        Carrier.osThreadId();
        assertTrue(Init.ready() && Init.keysReady(), "carrierid-init's warm-up did not end in time"); // none waits below
        for (int i = 0; i < threads; i++) {
            int n = i;
            started.add(Truth.startVirtualThread(() -> {
                for (int r = 0; r < remounts; r++) {
                    // Once warmed up there is no blocking point in carrierid's four calls: one OS thread
                    // throughout, which the samples around them show. Calls made before carrierid-init's
                    // warm-up ended wait for it, bounded (not here: awaited above), and a thread's first
                    // calls may wait for a class's initialisation, and on 24+ move meanwhile (seen: ~70 of
                    // 10^4 first rounds in a surefire JVM); the answers are read after such a wait. A truth's own call may block too (class loading on 24+) and
                    // move the thread, even there and back: sampled around each, and then not compared.
                    long t0 = Truth.osThreadNow();
                    long tid = Carrier.osThreadId();
                    long ta = Truth.osThreadNow();
                    Thread carrier = Carrier.thread();
                    long tb = Truth.osThreadNow();
                    OptionalLong ofCarrier = Carrier.osThreadIdOf(carrier);
                    long tc = Truth.osThreadNow();
                    OptionalLong ofSelf = Carrier.osThreadIdOf(Thread.currentThread());
                    long t1 = Truth.osThreadNow();
                    long kernel = Truth.kernelTid();
                    long t2 = Truth.osThreadNow();
                    Thread truthCarrier = Truth.currentCarrier();
                    long t3 = Truth.osThreadNow();
                    boolean carrieridMoved = t0 != ta || ta != tb || tb != tc || tc != t1;
                    if (carrieridMoved && r > 0) {
                        wrong.add("carrierid's calls moved the thread after its first round: " + t0 + " " + ta + " "
                                + tb + " " + tc + " " + t1);
                        checked.incrementAndGet();
                    } else if (carrieridMoved || t1 != t2 || t2 != t3) {
                        moved.incrementAndGet();
                    } else {
                        if (tid != kernel || carrier != truthCarrier || Truth.isVirtual(carrier)
                                || ofCarrier.orElse(-1) != kernel || ofSelf.orElse(-1) != kernel) {
                            wrong.add("tid " + tid + " kernel " + kernel + " carrier " + carrier + " truth " + truthCarrier
                                    + " ofCarrier " + ofCarrier + " ofSelf " + ofSelf);
                        }
                        checked.incrementAndGet();
                    }
                    if ((n + r) % 2 == 0) {
                        Thread.yield();
                    } else {
                        LockSupport.parkNanos(1_000);
                    }
                }
            }));
        }
        for (Thread t : started) {
            t.join();
        }
        assertTrue(wrong.isEmpty(), () -> wrong.size() + " wrong, e.g. " + wrong.peek());
        assertEquals((long) threads * remounts, checked.get() + moved.get());
        assertTrue(moved.get() < threads * remounts / 2, () -> moved.get() + " checks moved: too few compared");
    }

    @Test
    void osThreadIdOfALivePlatformThreadIsTheTidItReportsItself() throws Exception {
        AtomicLong reported = new AtomicLong();
        CountDownLatch ready = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            reported.set(Truth.kernelTid());
            ready.countDown();
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        ready.await();
        assertEquals(OptionalLong.of(reported.get()), Carrier.osThreadIdOf(t));
        done.countDown();
        t.join();
        assertEquals(OptionalLong.empty(), Carrier.osThreadIdOf(t), "terminated");
    }

    @Test
    void osThreadIdOfUnstartedAndNull() {
        assertEquals(OptionalLong.empty(), Carrier.osThreadIdOf(new Thread(() -> { })));
        NullPointerException npe = assertThrows(NullPointerException.class, () -> Carrier.osThreadIdOf(null));
        assertTrue(npe.getMessage().contains("thread"), npe.getMessage());
        assertEquals(OptionalLong.of(Truth.kernelTid()), Carrier.osThreadIdOf(Thread.currentThread()));
    }

    /** Threads that end while another thread keeps asking: an answer is the right tid or empty, never another. */
    @Test
    void osThreadIdOfThreadsEndingWhileAsked() throws Exception {
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        for (int round = 0; round < 200; round++) {
            AtomicLong reported = new AtomicLong();
            Thread t = new Thread(() -> reported.set(Truth.kernelTid()));
            t.start();
            while (t.isAlive() || reported.get() == 0) {
                OptionalLong tid = Carrier.osThreadIdOf(t);
                if (tid.isPresent() && reported.get() != 0 && tid.getAsLong() != reported.get()) {
                    wrong.add(tid + " vs " + reported.get());
                }
            }
            t.join();
            if (Carrier.osThreadIdOf(t).isPresent()) {
                wrong.add("terminated thread has a tid");
            }
        }
        assertTrue(wrong.isEmpty(), () -> wrong.toString());
    }

    @Test
    void osThreadIdOfVirtualThreads() throws Exception {
        assumeTrue(Truth.hasVirtualThreads(), "virtual threads need JDK 21+");
        // Unstarted.
        Thread unstarted = Truth.unstartedVirtualThread(() -> { });
        assertEquals(OptionalLong.empty(), Carrier.osThreadIdOf(unstarted));

        // Parked, so unmounted.
        CountDownLatch parking = new CountDownLatch(1);
        AtomicBoolean release = new AtomicBoolean();
        Thread parked = Truth.startVirtualThread(() -> {
            parking.countDown();
            while (!release.get()) {
                LockSupport.park();
            }
        });
        parking.await();
        while (parked.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        assertEquals(OptionalLong.empty(), Carrier.osThreadIdOf(parked), "a parked virtual thread has no carrier");
        release.set(true);
        LockSupport.unpark(parked);
        parked.join();
        assertEquals(OptionalLong.empty(), Carrier.osThreadIdOf(parked), "terminated");

        // Mounted and spinning: its carrier's tid, as it reports it.
        AtomicLong reported = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        Thread spinning = Truth.startVirtualThread(() -> {
            reported.set(Carrier.osThreadId());
            while (!stop.get()) {
                Thread.onSpinWait(); // no blocking point: stays on its carrier
            }
        });
        while (reported.get() == 0) {
            Thread.onSpinWait();
        }
        assertEquals(OptionalLong.of(reported.get()), Carrier.osThreadIdOf(spinning));
        assertTrue(Truth.isTaskOfThisProcess(reported.get()));
        stop.set(true);
        spinning.join();
        assertFalse(Carrier.osThreadIdOf(spinning).isPresent());
    }
}
