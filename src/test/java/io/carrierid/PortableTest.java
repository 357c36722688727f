package io.carrierid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/** The portable path, called directly next to the fast path in one JVM: same answers. */
class PortableTest {

    @Test
    void portablePathsAgreeWithTheFastPathAndTheKernel() throws Exception {
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            Thread t = new Thread(() -> {
                long truth = Truth.kernelTid();
                long fast = Carrier.osThreadId();
                long best = Portable.osThreadId();
                long proc = Portable.procTid();
                if (fast != truth || best != truth || proc != truth) {
                    wrong.add("kernel " + truth + " fast " + fast + " portable " + best + " proc " + proc);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertTrue(wrong.isEmpty(), () -> wrong.toString());
    }

    @Test
    void ffmIsThePortablePathFrom22On() {
        if (Runtime.version().feature() >= 22) {
            assertEquals(Diagnostics.Path.PORTABLE_FFM, Portable.path(), Portable.ffmProblem());
            assertEquals("", Portable.ffmProblem());
        } else {
            assertEquals(Diagnostics.Path.PORTABLE_PROC, Portable.path());
        }
    }

    @Test
    void portablePathIsRightOnVirtualThreads() throws Exception {
        assumeTrue(Truth.hasVirtualThreads(), "virtual threads need JDK 21+");
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            threads.add(Truth.startVirtualThread(() -> {
                for (int y = 0; y < 10; y++) {
                    long truth = Truth.kernelTid();
                    long portable = Portable.osThreadId();
                    long fast = Carrier.osThreadId();
                    if (portable != truth || fast != truth) {
                        wrong.add("kernel " + truth + " portable " + portable + " fast " + fast);
                    }
                    Thread.yield();
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertTrue(wrong.isEmpty(), () -> wrong.toString());
    }
}
