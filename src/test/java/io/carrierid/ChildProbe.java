package io.carrierid;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs in a child JVM started by {@link ChildJvm}, so that each configuration
 * (system properties, a corrupted table, racing first calls) gets a JVM of its
 * own and a crash would be a failed test, not a lost run.
 *
 * <p>Arguments: {@code race} (64 threads make the first call together),
 * {@code first-virtual} (the first call comes from a virtual thread),
 * {@code platform-only} (no virtual thread is ever started), {@code carrier-locals} (then
 * {@link CarrierLocalProbe}), {@code shared-slot} (then {@link SharedSlotProbe}).
 * Prints {@code DIAGNOSTICS <json>} and {@code CHECKED <n> WRONG <m>}, then
 * the first wrong answers.
 */
final class ChildProbe {
    static final ConcurrentLinkedQueue<String> WRONG = new ConcurrentLinkedQueue<>();
    static final AtomicLong CHECKED = new AtomicLong();
    /** Checks skipped because the thread moved to another carrier during them (the truths, not carrierid, blocked). */
    static final AtomicLong MOVED = new AtomicLong();

    public static void main(String[] args) throws Exception {
        List<String> options = List.of(args);
        if (options.contains("expect-unavailable")) {
            try {
                Hostile.EVENTS.add("osThreadId returned " + Carrier.osThreadId());
            } catch (UnsupportedOperationException e) {
                Hostile.EVENTS.add("osThreadId threw UnsupportedOperationException: " + e.getMessage());
            }
            Hostile.report();
            System.out.println("DIAGNOSTICS " + Carrier.diagnostics().toJson());
            return;
        }
        if (options.contains("deep-first-call")) {
            Hostile.firstCallDeepInTheStack();
        } else if (options.contains("heap-full-first-call")) {
            Hostile.firstCallWithTheHeapFull();
        } else if (options.contains("heap-nearly-full-first-call")) {
            Hostile.firstCallWithTheHeapNearlyFull(Integer.parseInt(options.get(options.indexOf("heap-nearly-full-first-call") + 1)));
        } else if (options.contains("cpu-time")) {
            Hostile.cpuTimeWithoutTheLibrary();
        } else if (options.contains("pool-without-library")) {
            Hostile.pooledWithoutTheLibrary();
        } else if (options.contains("index-churn")) {
            Hostile.indexChurn();
        } else if (options.contains("injected-errors")) {
            Hostile.injectedErrors();
        } else if (options.contains("bound-virtual")) {
            Hostile.boundVirtualThreads();
        } else if (options.contains("loader-monitor-first-call")) {
            Hostile.firstCallsHoldingTheLoadersMonitor();
        } else if (options.contains("threads-exhausted-first-call")) {
            Hostile.firstCallWithNoThreadToBeHad();
        } else if (options.contains("hold-thread-group")) {
            Hostile.firstCallHoldingTheThreadGroup();
        } else if (options.contains("inheritable-hook")) {
            Hostile.firstCallWithAnInheritableHook();
        } else if (options.contains("logging-hook")) {
            Hostile.installLoggingHook();
        } else if (options.contains("security-manager")) {
            @SuppressWarnings("removal")
            boolean installed = System.getSecurityManager() != null;
            Hostile.EVENTS.add("security manager installed: " + installed);
        } else if (options.contains("stop-first-call")) {
            Hostile.firstCallStopped();
        } else if (options.contains("library-on-its-way")) {
            int at = options.indexOf("library-on-its-way");
            Hostile.firstCallsWhileTheLibraryIsOnItsWay(java.nio.file.Path.of(options.get(at + 1)),
                    java.nio.file.Path.of(options.get(at + 2)));
        }
        if (options.contains("race")) {
            race(64);
        } else if (options.contains("busy-carrier") && Truth.hasVirtualThreads()) {
            // The only carrier (run with parallelism 1) spins while the main thread initialises carrierid.
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicBoolean spinning = new java.util.concurrent.atomic.AtomicBoolean();
            Thread spinner = Truth.startVirtualThread(() -> {
                spinning.set(true);
                while (!stop.get()) {
                    Thread.onSpinWait();
                }
            });
            while (!spinning.get()) {
                Thread.onSpinWait();
            }
            check();
            stop.set(true);
            spinner.join();
        } else if (options.contains("first-virtual") && Truth.hasVirtualThreads()) {
            Truth.startVirtualThread(ChildProbe::check).join();
        }
        check();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Thread t = new Thread(() -> {
                for (int call = 0; call < 100; call++) {
                    check();
                }
            });
            threads.add(t);
            t.start();
        }
        if (Truth.hasVirtualThreads() && !options.contains("platform-only")) {
            for (int i = 0; i < 50; i++) {
                threads.add(Truth.startVirtualThread(ChildProbe::checksYielding));
            }
        }
        for (Thread t : threads) {
            t.join();
        }
        if (Truth.hasVirtualThreads() && !options.contains("platform-only")) {
            checkFromAVirtualThreadOncePublished();
            if (Init.published() && Dispatch.internalsForAll() != VirtualPath.internalsForAll()) { // all checks have ended
                WRONG.add("the dispatch's switch (Switches.INTERNALS) says " + Dispatch.internalsForAll()
                        + " where the checks from virtual threads say " + VirtualPath.internalsForAll());
            }
            checkFfmSwitch();
        }
        if (options.contains("shared-slot") && !SharedSlotProbe.run(WRONG)) {
            WRONG.add("shared-slot: PlatformIds' tables not used (keyed " + ThreadSlots.KEYED + ")");
        }
        if (options.contains("carrier-locals") && Truth.hasVirtualThreads()) {
            CarrierLocalProbe.run(WRONG, CHECKED);
        }
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("carrierid-init") || t.getName().equals("carrierid-log")) {
                t.join(5_000); // they log carrierid's warnings after waking the callers
            }
        }
        Hostile.report();
        System.out.println("DIAGNOSTICS " + Carrier.diagnostics().toJson());
        System.out.println("CHECKED " + CHECKED.get() + " WRONG " + WRONG.size() + " MOVED " + MOVED.get());
        WRONG.stream().limit(5).forEach(w -> System.out.println("WRONG " + w));
    }

    /**
     * Virtual threads' calls before the decision is published are answered provisionally (they do not
     * wait for it), so on a fast host all of the above may be: the check from a virtual thread, which
     * the reports and tests look at, runs at the first call from one once it is published.
     */
    /**
     * Once every check from a virtual thread has ended: Switches.FFM is on exactly where VirtualPath's mode is
     * FFM. carrierid-ffm sets the FFM downcalls up (JNI serves meanwhile), sets the mode, then turns the switch
     * on: up to 10 s are allowed for that (where the set-up cannot finish, as in some hostile probes, the mode
     * stays JNI and the switch must be off).
     */
    private static void checkFfmSwitch() throws InterruptedException {
        if (!Init.published() || !Active.FFM_POSSIBLE || Switches.FFM.site() == null) {
            return; // Switches.FFM is off for good there (not made: an Error on carrierid-init; Switches not read)
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while ((VirtualPath.peek() == VirtualPath.JNI || VirtualPath.peek() == VirtualPath.FFM && !Switches.FFM.on())
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        boolean on = Switches.FFM.on();
        int mode = VirtualPath.peek();
        if (on != (mode == VirtualPath.FFM)) {
            WRONG.add("the dispatch's switch (Switches.FFM) says " + on + " where VirtualPath's mode is " + mode);
        }
    }

    private static void checkFromAVirtualThreadOncePublished() throws InterruptedException {
        Hostile.decided(60_000); // arm64 under qemu-user decides in seconds
        Truth.startVirtualThread(ChildProbe::checksYielding).join();
    }

    /** A virtual thread's 20 checked calls, yielding between them (each yield may move it to another carrier). */
    private static void checksYielding() {
        for (int call = 0; call < 20; call++) {
            check();
            Thread.yield();
        }
    }

    private static void race(int threads) throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> racers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                check();
            });
            racers.add(t);
            t.start();
        }
        go.countDown();
        for (Thread t : racers) {
            t.join();
        }
    }

    /** One call of each API method on the calling thread, against the kernel and the JDK. */
    static void check() {
        // First: the first call loads the library the bracket's gettid uses. (Not Active: a first call may
        // return, answered through the library, before the decision that initialises Active is published.)
        // Each read is bracketed by the OS thread (gettid: no blocking point): a call has none after its
        // read, so one that reads on another carrier shows there, even if a later call moves the thread back.
        long tid = Carrier.osThreadId();
        long before = Truth.osThreadNow(); // nothing between these two can block
        long truth = Truth.kernelTid();
        boolean stayed = Truth.osThreadNow() == before;
        long address = Carrier.javaThreadAddress();
        stayed &= Truth.osThreadNow() == before;
        Thread seen = Carrier.thread();
        stayed &= Truth.osThreadNow() == before;
        boolean virtual = Truth.isVirtual(Thread.currentThread());
        Thread carrier = virtual ? Truth.currentCarrier() : Thread.currentThread();
        stayed &= Truth.osThreadNow() == before;
        long expected;
        expected = Init.library() == Init.LIBRARY_LOADED ? Truth.eetop(carrier) : 0;
        if (!stayed) {
            MOVED.incrementAndGet(); // a call blocked (a first use's lock) and the thread moved: nothing to compare
            return;
        }
        CHECKED.incrementAndGet();
        if (tid != truth || address != expected || seen != carrier) {
            WRONG.add(Thread.currentThread() + ": tid " + tid + " vs kernel " + truth
                    + ", address " + address + " vs " + expected + ", thread() " + seen + " vs " + carrier);
        }
    }
}
