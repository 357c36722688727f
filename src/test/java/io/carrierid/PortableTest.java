package io.carrierid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
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
                long jni = Native.gettid();
                long ffm = Runtime.version().feature() >= 22 ? Portable.ffmTid() : truth;
                long proc = ProcThreadSelf.tid();
                long provisional = Provisional.osThreadId();
                if (fast != truth || jni != truth || ffm != truth || proc != truth || provisional != truth) {
                    wrong.add("kernel " + truth + " fast " + fast + " jni " + jni + " ffm " + ffm + " proc " + proc
                            + " provisional " + provisional);
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

    /**
     * getpid() without the library (what tells a /proc of this PID namespace from another's): the
     * JDK's own pid from this process's status, and, nested (proc(5): outermost first), the innermost.
     */
    @Test
    void ownPidIsTheLastNsPidNumber() throws Exception {
        assertEquals(ProcessHandle.current().pid(), ProcThreadSelf.lastNsPid(Files.readString(Path.of("/proc/self/status"))));
        String nested = "Name:\tjava\nNSpid:\t4259\t17 1\nNSpgid:\t4259\t1\n";
        assertEquals(1, ProcThreadSelf.lastNsPid(nested));
        assertEquals(-1, ProcThreadSelf.lastNsPid("Name:\tjava\nPid:\t4259\n"));
    }

    @Test
    void portablePathChoice() {
        assertEquals(Diagnostics.Path.PORTABLE_JNI, Portable.path(true, Platform.current()));
        assertEquals("", ProcThreadSelf.problem());
        if (Runtime.version().feature() >= 22) {
            assertEquals(Diagnostics.Path.PORTABLE_FFM, Portable.path(false, Platform.current()), Portable.ffmProblem());
            assertEquals("", Portable.ffmProblem());
        } else {
            assertEquals(Diagnostics.Path.PORTABLE_PROC, Portable.path(false, Platform.current()));
        }
    }

    @Test
    void portablePathIsRightOnVirtualThreads() throws Exception {
        assumeTrue(Truth.hasVirtualThreads(), "virtual threads need JDK 21+");
        Carrier.diagnostics(); // the first call may wait for initialisation: a blocking point (documented)
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            threads.add(Truth.startVirtualThread(() -> {
                for (int y = 0; y < 10; y++) {
                    long truth = Truth.kernelTid();
                    long portable = Runtime.version().feature() >= 22 ? Portable.ffmTid() : Native.gettid();
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
