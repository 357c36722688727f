package io.carrierid;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The slow cells of the reliability matrix, run by scripts/stress in one child
 * JVM per JVM configuration (so a crash is a failed cell, not a lost run).
 * Every answer is checked against the kernel (/proc/thread-self) or the JDK
 * (Thread.eetop). Prints {@code CELL <scenario> checked=<n> wrong=<m>} per
 * scenario and the first wrong answers; exit status 0 unless something threw.
 *
 * <p>Arguments: scenario names (hot-loop, platform-churn, virtual-remounts,
 * native-attach, tiny-stack, shutdown-daemons), optionally {@code scale=F}
 * to scale the counts (the -Xint cells use less).
 */
final class StressMain {
    static final AtomicLong CHECKED = new AtomicLong();
    static final AtomicLong WRONG = new AtomicLong();
    static final ConcurrentLinkedQueue<String> EXAMPLES = new ConcurrentLinkedQueue<>();
    static double scale = 1;

    public static void main(String[] args) throws Exception {
        List<String> scenarios = new ArrayList<>();
        for (String a : args) {
            if (a.startsWith("scale=")) {
                scale = Double.parseDouble(a.substring(6));
            } else {
                scenarios.add(a);
            }
        }
        System.out.println("DIAGNOSTICS " + Carrier.diagnostics().toJson());
        for (String scenario : scenarios) {
            long checkedBefore = CHECKED.get();
            long wrongBefore = WRONG.get();
            long start = System.nanoTime();
            switch (scenario) {
                case "hot-loop": hotLoop(); break;
                case "platform-churn": platformChurn(); break;
                case "virtual-remounts": virtualRemounts(); break;
                case "native-attach": nativeAttach(); break;
                case "tiny-stack": tinyStack(); break;
                case "carrierlocal-churn": carrierLocalChurn(); break;
                case "shutdown-daemons": shutdownDaemons(); break;
                default: throw new IllegalArgumentException("unknown scenario " + scenario);
            }
            System.out.printf("CELL %s checked=%d wrong=%d ms=%d%n", scenario, CHECKED.get() - checkedBefore,
                    WRONG.get() - wrongBefore, (System.nanoTime() - start) / 1_000_000);
            EXAMPLES.stream().limit(3).forEach(e -> System.out.println("WRONG " + e));
            EXAMPLES.clear();
            System.out.flush();
        }
    }

    static int n(int count) {
        return Math.max(1, (int) (count * scale));
    }

    /** One full check of the calling thread: tid against the kernel, address against eetop (or its carrier's). */
    static void checkHere() {
        long tid = Carrier.osThreadId();
        long before = Truth.osThreadNow(); // nothing between these two can block
        long address = Carrier.javaThreadAddress();
        boolean stayed = Truth.osThreadNow() == before; // a call has no blocking point after its read (see ChildProbe)
        long kernel = Truth.kernelTid();
        stayed &= Truth.osThreadNow() == before;
        boolean virtual = Truth.isVirtual(Thread.currentThread());
        Thread carrier = virtual ? Truth.currentCarrier() : Thread.currentThread();
        stayed &= Truth.osThreadNow() == before;
        if (!stayed) {
            return; // a first use blocked and the thread moved between the reads: nothing to compare
        }
        long expected = Init.library() == Init.LIBRARY_LOADED ? Truth.eetop(carrier) : 0;
        record(tid == kernel && address == expected, () -> Thread.currentThread() + " tid " + tid + " kernel " + kernel
                + " address " + address + " expected " + expected);
    }

    static void record(boolean right, java.util.function.Supplier<String> what) {
        CHECKED.incrementAndGet();
        if (!right) {
            WRONG.incrementAndGet();
            if (EXAMPLES.size() < 10) {
                EXAMPLES.add(what.get());
            }
        }
    }

    /** The API called long enough to be compiled (C1, then C2), every result checked against a truth read once. */
    static void hotLoop() {
        long kernel = Truth.kernelTid();
        long eetop = Init.library() == Init.LIBRARY_LOADED ? Truth.eetop(Thread.currentThread()) : 0;
        int calls = n(Carrier.diagnostics().fastPath() ? 5_000_000 : 50_000); // portable: a syscall each
        long bad = 0;
        for (int i = 0; i < calls; i++) {
            bad += Carrier.osThreadId() != kernel ? 1 : 0;
            bad += Dispatch.osThreadIdNow() != kernel ? 1 : 0;
            bad += Carrier.javaThreadAddress() != eetop ? 1 : 0;
        }
        CHECKED.addAndGet(3L * calls);
        WRONG.addAndGet(bad);
        if (bad > 0) {
            EXAMPLES.add("hot loop: " + bad + " wrong of " + 3L * calls);
        }
    }

    /**
     * 2·10^4 platform threads (each start costs ~1.4 ms on these 2-core VMs while two watchers spin) start, check themselves and end, 200 at a time, while two
     * watchers ask osThreadIdOf about them: an answer must be empty or the thread's own tid.
     */
    static void platformChurn() throws InterruptedException {
        int total = n(20_000);
        AtomicReference<Published> latest = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> watchers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            Thread watcher = new Thread(() -> {
                Published last = null;
                while (!stop.get()) {
                    Published p = latest.get();
                    if (p == null || p == last || !Carrier.diagnostics().fastPath()) {
                        Thread.onSpinWait();
                        continue;
                    }
                    last = p;
                    OptionalLong seen = Carrier.osThreadIdOf(p.thread());
                    record(seen.isEmpty() || seen.getAsLong() == p.tid(), () -> "osThreadIdOf " + seen + " vs " + p.tid());
                }
            }, "churn-watcher-" + w);
            watcher.start();
            watchers.add(watcher);
        }
        int batch = 200;
        for (int done = 0; done < total; done += batch) {
            List<Thread> threads = new ArrayList<>(batch);
            for (int i = 0; i < Math.min(batch, total - done); i++) {
                Thread t = new Thread(() -> {
                    checkHere();
                    latest.set(new Published(Thread.currentThread(), Truth.kernelTid()));
                });
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
        }
        stop.set(true);
        for (Thread w : watchers) {
            w.join();
        }
    }

    /** A thread and the tid it reported for itself, published together. */
    record Published(Thread thread, long tid) {}

    /** 10^6 remounts (1,000 virtual threads yielding 1,000 times; run with 2 carriers), checked after each. */
    static void virtualRemounts() throws InterruptedException {
        if (!Truth.hasVirtualThreads()) {
            return;
        }
        int threads = n(1_000);
        int yields = 1_000;
        // Each value records the carrier its supplier ran on, before and after: a supplier that
        // blocks may finish on another carrier, and then the value has no single carrier to check.
        CarrierLocal<long[]> local = CarrierLocal.withInitial(() -> new long[] {Truth.kernelTid(), Truth.kernelTid(),
                CarrierKeys.current()});
        List<Thread> started = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            started.add(Truth.startVirtualThread(() -> {
                for (int y = 0; y < yields; y++) {
                    Thread.yield();
                    long tid = Carrier.osThreadId();
                    long kernel = Truth.kernelTid();
                    record(tid == kernel, () -> "remount: tid " + tid + " kernel " + kernel);
                    // get() may block the first time on a carrier (it registers the carrier under a
                    // lock), and so return on another: compare with the kernel after it too.
                    long[] value = local.get();
                    long after = Truth.kernelTid();
                    if (after == kernel) {
                        boolean right = value[0] != value[1] || value[0] == kernel;
                        record(right, () -> "carrier-local on " + kernel + " made on " + value[0] + "/" + value[1]
                                + " under key " + Long.toHexString(value[2]) + "; keys " + CarrierKeys.describe());
                    }
                }
            }));
        }
        for (Thread t : started) {
            t.join();
        }
    }

    /** Native threads attach, call, detach and attach again (src/test/c/attach_helper.c). */
    static void nativeAttach() {
        String helper = System.getProperty("carrierid.stress.attachHelper");
        if (helper == null) {
            System.out.println("SKIP native-attach: no -Dcarrierid.stress.attachHelper");
            return;
        }
        System.load(helper);
        int failures = runAttached(16, n(200));
        record(failures == 0, () -> failures + " attach/call failures");
    }

    static native int runAttached(int threads, int rounds);

    /** Called from attach_helper.c on a freshly attached native thread. */
    static void fromNative() {
        checkHere();
        long tid = Carrier.osThreadId();
        record(Carrier.osThreadIdOf(Thread.currentThread()).orElse(-1) == tid, () -> "osThreadIdOf(self) on attached thread");
        record(Carrier.thread() == Thread.currentThread(), () -> "thread() on attached thread");
    }

    /**
     * 10^7 CarrierLocals made and dropped (one in a thousand used, by this thread and by a
     * new thread): the heap must not fill (run at -Xmx256m), and the registry keeps only
     * live ones. Each used value is checked; so is the count of live CarrierLocals at the end.
     */
    static void carrierLocalChurn() throws InterruptedException {
        int total = n(10_000_000);
        for (int i = 0; i < total; i++) {
            CarrierLocal<long[]> local = CarrierLocal.withInitial(() -> new long[] {Truth.kernelTid()});
            if (i % 1000 == 0) {
                long[] value = local.get();
                record(value[0] == Truth.kernelTid(), () -> "value made on " + value[0] + " read on " + Truth.kernelTid());
            }
            if (i % 1_000_000 == 0) {
                Thread t = new Thread(() -> checkHere());
                t.start();
                t.join();
            }
        }
        for (int i = 0; i < 100 && CarrierKeys.liveLocals() > 1000; i++) {
            System.gc();
            Thread.sleep(20);
        }
        int live = CarrierKeys.liveLocals();
        record(live <= 1000, () -> live + " CarrierLocals still registered after " + total + " were dropped");
        System.out.println("churn: " + total + " made, " + CarrierKeys.idsUsed() + " ids ever used, " + live + " live at the end");
    }

    /** Calls from threads with the smallest stack the JVM will give. */
    static void tinyStack() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n(200); i++) {
            Thread t = new Thread(null, () -> {
                for (int c = 0; c < 10; c++) {
                    checkHere();
                }
            }, "tiny-stack-" + i, 16 * 1024);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    /** Daemon threads keep calling while the JVM exits: the exit status tells whether it crashed. */
    static void shutdownDaemons() throws InterruptedException {
        CountDownLatch running = new CountDownLatch(8);
        for (int i = 0; i < 8; i++) {
            Thread t = new Thread(() -> {
                running.countDown();
                while (true) {
                    checkHere();
                    Dispatch.osThreadIdNow();
                }
            }, "shutdown-daemon-" + i);
            t.setDaemon(true);
            t.start();
        }
        running.await();
        Thread.sleep(100);
        // main returns after printing this cell: the JVM shuts down under the daemons.
    }
}
