package io.carrierid;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The public API on the JVM running the tests, against the kernel and the JDK. */
class CarrierTest {

    @Test
    void fastPathIsActiveOnThisJvmWithAgreeingOffsets() {
        Diagnostics d = Carrier.diagnostics();
        // This machine is Linux x86-64 glibc HotSpot with a table row for its JDKs (17, 25).
        assertEquals(Diagnostics.Path.NATIVE, d.path(), d::toString);
        assertEquals(Diagnostics.OffsetSource.TABLE_AND_VMSTRUCTS_AGREE, d.offsetSource(), d::toString);
        assertEquals("", d.fallbackReason());
        assertTrue(d.warnings().isEmpty(), d::toString);
        assertEquals(Diagnostics.Verification.PASSED, d.verificationStatus(), d::toString);
        assertEquals(java.util.Optional.empty(), d.fallbackCause());
        assertEquals(Runtime.version().feature() >= 22 ? Diagnostics.Access.ENABLED : Diagnostics.Access.NOT_RESTRICTED,
                d.access(), d::toString); // the tests run with --enable-native-access=ALL-UNNAMED
    }

    /** Issue 21: the virtual-thread check as an enum, completed by the first call from a virtual thread. */
    @Test
    void theVirtualThreadCheckIsAnEnum() throws Exception {
        if (!Truth.hasVirtualThreads()) {
            assertEquals(Diagnostics.VirtualThreadCheck.NOT_APPLICABLE, Carrier.diagnostics().virtualThreadCheck());
            return;
        }
        assertTrue(Hostile.decided(60_000), "decided"); // before that, virtual threads are answered provisionally
        Truth.startVirtualThread(Carrier::osThreadId).join();
        Diagnostics.VirtualThreadCheck expected = Runtime.version().feature() >= 24
                ? Diagnostics.VirtualThreadCheck.PASSED : Diagnostics.VirtualThreadCheck.NOT_APPLICABLE;
        assertEquals(expected, Carrier.diagnostics().virtualThreadCheck(), Carrier.diagnostics()::toString);
        assertTrue(Carrier.diagnostics().toJson().contains("\"virtualThreadCheck\":\"" + expected + "\""));
    }

    @Test
    void osThreadIdIsTheKernelTidOfTheCallingThread() {
        long tid = Carrier.osThreadId();
        assertEquals(Truth.kernelTid(), tid);
        assertTrue(Truth.isTaskOfThisProcess(tid));
        assertEquals(tid, Carrier.osThreadId(), "a platform thread's tid never changes");
    }

    @Test
    void javaThreadAddressIsEetop() {
        assertEquals(Truth.eetop(Thread.currentThread()), Carrier.javaThreadAddress());
        assertTrue(Carrier.javaThreadAddress() != 0);
    }

    /** Waves of threads that start, check, and end while others are still running. */
    @Test
    void idsAreRightOnManyThreadsStartingAndEnding() throws Exception {
        int waves = 20;
        int perWave = 16;
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        AtomicLong checked = new AtomicLong();
        List<Thread> previous = new ArrayList<>();
        for (int wave = 0; wave < waves; wave++) {
            Set<Long> tidsThisWave = ConcurrentHashMap.newKeySet();
            CountDownLatch allStarted = new CountDownLatch(perWave);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < perWave; i++) {
                Thread t = new Thread(() -> {
                    allStarted.countDown();
                    for (int call = 0; call < 50; call++) {
                        long tid = Carrier.osThreadId();
                        long truth = Truth.kernelTid();
                        long address = Carrier.javaThreadAddress();
                        long eetop = Truth.eetop(Thread.currentThread());
                        // The uncached fast path too (platform threads are otherwise served from a cache).
                        long tidNow = Dispatch.osThreadIdNow();
                        long addressNow = Dispatch.javaThreadAddressNow();
                        if (tid != truth || address != eetop || address == 0 || tidNow != truth || addressNow != eetop) {
                            wrong.add(Thread.currentThread().getName() + ": tid " + tid + " vs " + truth
                                    + ", address " + address + " vs " + eetop);
                        }
                        checked.incrementAndGet();
                    }
                    tidsThisWave.add(Carrier.osThreadId());
                    try {
                        allStarted.await(); // all of this wave alive together: tids must be distinct
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "wave-" + wave + "-" + i);
                threads.add(t);
                t.start();
            }
            for (Thread t : previous) {
                t.join(); // the previous wave ends while this one runs
            }
            previous = threads;
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(perWave, tidsThisWave.size(), "live threads have distinct tids");
        }
        assertTrue(wrong.isEmpty(), () -> wrong.size() + " wrong, e.g. " + wrong.peek());
        assertEquals((long) waves * perWave * 50, checked.get());
    }

    @Test
    void idsAreRightOnPoolThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < 2_000; i++) {
            pool.execute(() -> {
                if (Carrier.osThreadId() != Truth.kernelTid()
                        || Carrier.javaThreadAddress() != Truth.eetop(Thread.currentThread())) {
                    wrong.add(Thread.currentThread().getName());
                }
            });
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
        assertTrue(wrong.isEmpty(), () -> "wrong on " + wrong);
    }

    @Test
    void virtualThreadsGetTheirCurrentCarriersIds() throws Exception {
        assumeTrue(Truth.hasVirtualThreads(), "virtual threads need JDK 21+");
        int threads = 200;
        int yields = 20;
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        List<Thread> started = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            started.add(Truth.startVirtualThread(() -> {
                for (int y = 0; y < yields; y++) {
                    // No blocking point in carrierid's reads: all see the same carrier (checked by the
                    // tid before and after: a truth's own first call may block on a class-loading lock).
                    long before = Truth.osThreadNow();
                    long tid = Carrier.osThreadId();
                    long truth = Truth.kernelTid();
                    long address = Carrier.javaThreadAddress();
                    Thread carrier = Truth.currentCarrier();
                    long carrierEetop = Truth.eetop(carrier);
                    if (Truth.osThreadNow() == before && (tid != truth || address != carrierEetop)) {
                        wrong.add("tid " + tid + " vs " + truth + ", address " + address + " vs " + carrierEetop);
                    }
                    Thread.yield(); // a chance to remount elsewhere
                }
            }));
        }
        for (Thread t : started) {
            t.join();
        }
        assertTrue(wrong.isEmpty(), () -> wrong.size() + " wrong, e.g. " + wrong.peek());
    }

    @Test
    void ffmServesTheFastPathFrom22On() throws Exception {
        Diagnostics d = Carrier.diagnostics();
        if (Runtime.version().feature() >= 22) {
            assertTrue(d.nativeCall().contains("FFM critical downcalls for virtual threads"), d::toString);
            // Set up on carrierid-ffm after the first call from a virtual thread; JNI serves until then.
            Truth.startVirtualThread(Carrier::osThreadId).join();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (VirtualPath.peek() != VirtualPath.FFM && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(VirtualPath.FFM, VirtualPath.peek(), ActiveFfm.describe());
            assertTrue(ActiveFfm.OS_THREAD_ID != null && ActiveFfm.JAVA_THREAD != null, ActiveFfm.describe());
        } else {
            assertTrue(d.nativeCall().startsWith("JNI"), d::toString);
            assertTrue(ActiveFfm.OS_THREAD_ID == null);
        }
    }

    @Test
    void diagnosticsReportIsReadableAndJsonCarriesTheSameFacts() {
        Diagnostics d = Carrier.diagnostics();
        String report = d.toString();
        String json = d.toJson();
        assertAll(
                () -> assertTrue(report.contains("path:") && report.contains(d.path().name()), report),
                () -> assertTrue(report.contains(Runtime.version().toString()), report),
                () -> assertTrue(report.contains(d.libc()), report),
                () -> assertTrue(report.lines().count() >= 7, report),
                () -> assertTrue(json.startsWith("{") && json.endsWith("}"), json),
                () -> assertTrue(json.contains("\"path\":\"" + d.path().name() + "\""), json),
                () -> assertTrue(json.contains("\"javaVersion\":\"" + Runtime.version() + "\""), json),
                () -> assertTrue(d.libc().startsWith("glibc "), d.libc()));
    }
}
