package io.carrierid;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The first call made in the conditions a host can impose (a deep stack, a full
 * heap, no thread to be had, a lock held, a logging hook, Thread.stop), for
 * {@link ChildProbe}. Each records what happened as EVENT lines; the test then
 * checks that carrierid recovered: every later id right, the fast path decided.
 */
final class Hostile {
    static final List<String> EVENTS = Collections.synchronizedList(new ArrayList<>());
    private static boolean tried;
    private static String thrown;

    private Hostile() {}

    static void report() {
        EVENTS.add("procProblem=" + ProcThreadSelf.problem());
        for (String event : EVENTS) {
            System.out.println("EVENT " + event);
        }
    }

    /** Waits (30 s at most) until carrierid has decided, retrying as it does after a transient failure. */
    static void awaitDecision() throws InterruptedException {
        long start = System.nanoTime();
        boolean decided = decided(30_000);
        EVENTS.add("decided=" + decided + " after " + (System.nanoTime() - start) / 1_000_000 + " ms");
    }

    /**
     * Waits at most {@code millis} for the decision to be published (starting it if due), true if it is.
     * Virtual threads' calls before that are answered provisionally: a test that needs the check from a
     * virtual thread, which runs at the first call from one after publication, waits here first.
     */
    static boolean decided(long millis) throws InterruptedException {
        long start = System.nanoTime();
        while (!Init.ready() && System.nanoTime() - start < millis * 1_000_000) {
            Thread.sleep(20);
        }
        return Init.ready();
    }

    static void firstCallDeepInTheStack() throws InterruptedException {
        deep(0);
        EVENTS.add("first call deep in the stack: " + thrown);
        awaitDecision();
    }

    private static int deep(int depth) {
        try {
            return deep(depth + 1) + 1;
        } catch (StackOverflowError e) {
            if (!tried) {
                tried = true;
                try {
                    Carrier.osThreadId();
                    Carrier.diagnostics();
                    new CarrierLocal<Object>().get();
                    thrown = "returned";
                } catch (Throwable t) {
                    thrown = "threw " + t.getClass().getName();
                }
            }
            return 0;
        }
    }

    /** Fills the heap with long[]s into {@code hog}, halving their size down to {@code smallest}; how many it holds. */
    static int fillHeap(Object[] hog, int smallest) {
        int held = 0;
        for (int size = 1 << 20; size >= smallest && held < hog.length; size >>= 1) {
            while (held < hog.length) {
                try {
                    hog[held] = new long[size];
                    held++;
                } catch (OutOfMemoryError e) {
                    break; // next, smaller
                }
            }
        }
        return held;
    }

    static void firstCallWithTheHeapFull() throws InterruptedException {
        Object[] hog = new Object[1 << 16];
        int held = fillHeap(hog, 1);
        boolean returned = false;
        try {
            Carrier.osThreadId();
            returned = true;
        } catch (Throwable t) {
            // expected: no memory even for the answer
        }
        for (int i = 0; i < held; i++) {
            hog[i] = null; // no call here: resolving one may itself need memory
        }
        System.gc();
        EVENTS.add("first call with the heap full: " + (returned ? "returned" : "threw") + " (" + held + " arrays held)");
        awaitDecision();
    }

    /**
     * Issue 19: the first call with only {@code freeKiB} of heap left, held for a while so that
     * carrierid-init runs (and retries) under it; afterwards the JDK classes carrierid's
     * initialisation may touch must still work for the application (a JDK class whose
     * initialiser failed stays broken for the JVM's life).
     */
    static void firstCallWithTheHeapNearlyFull(int freeKiB) throws InterruptedException {
        Object[] hog = new Object[1 << 16];
        int held = fillHeap(hog, 16);
        long freed = 0;
        while (held > 0 && freed < freeKiB * 1024L) {
            freed += ((long[]) hog[--held]).length * 8L + 16;
            hog[held] = null;
        }
        String first;
        try {
            first = "returned " + Carrier.osThreadId();
        } catch (Throwable t) {
            first = "threw " + t;
        }
        long until = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() - until < 0) {
            try {
                Carrier.osThreadId();
                Thread.sleep(10);
            } catch (Throwable t) {
                // no memory even for the answer: go on holding
            }
        }
        for (int i = 0; i < held; i++) {
            hog[i] = null;
        }
        System.gc();
        EVENTS.add("first call with " + freeKiB + " KiB free: " + first);
        awaitDecision();
        jdkClassesStillWork();
    }

    /** The JDK classes carrierid's initialisation may touch, used as an application would. */
    static void jdkClassesStillWork() {
        String[] uses = {"ProcessHandle", "Logger", "Files", "MethodHandles", "VirtualThread"};
        for (String use : uses) {
            try {
                switch (use) {
                    case "ProcessHandle": ProcessHandle.current().pid(); break;
                    case "Logger": System.getLogger("app").log(System.Logger.Level.DEBUG, "x"); break;
                    case "Files": java.nio.file.Files.readSymbolicLink(java.nio.file.Paths.get("/proc/self")); break;
                    case "MethodHandles": java.lang.invoke.MethodHandles.lookup().findStatic(Hostile.class,
                            "jdkClassesStillWork", java.lang.invoke.MethodType.methodType(void.class)); break;
                    default: if (Truth.hasVirtualThreads()) {
                        Truth.startVirtualThread(() -> { }).join();
                    }
                }
                EVENTS.add("JDK " + use + " works");
            } catch (Throwable t) {
                EVENTS.add("JDK " + use + " BROKEN: " + t);
            }
        }
    }

    /**
     * Issue 19: the first calls made while holding the monitor of carrierid's class loader, one
     * that is not parallel capable (an anonymous URLClassLoader subclass that does not register
     * as such), as from inside its loadClass or a transformer: carrierid-init needs that monitor to
     * load carrierid's classes. Each call must answer at once, and right.
     */
    static void firstCallsHoldingTheLoadersMonitor() throws Exception {
        String classes = System.getProperty("java.class.path").split(java.io.File.pathSeparator)[0]; // carrierid's classes first
        java.net.URLClassLoader loader = new java.net.URLClassLoader(
                new java.net.URL[] {java.nio.file.Paths.get(classes).toUri().toURL()}, ClassLoader.getPlatformClassLoader()) {
        };
        Class<?> carrier = Class.forName("io.carrierid.Carrier", true, loader);
        java.lang.reflect.Method osThreadId = carrier.getMethod("osThreadId");
        Class<?> carrierLocal = Class.forName("io.carrierid.CarrierLocal", true, loader);
        Object local = carrierLocal.getConstructor().newInstance();
        long start = System.nanoTime();
        int right = 0;
        synchronized (loader) {
            for (int i = 0; i < 4; i++) {
                right += (long) osThreadId.invoke(null) == Truth.kernelTid() ? 1 : 0;
            }
            carrierLocal.getMethod("set", Object.class).invoke(local, "set under the monitor");
        }
        EVENTS.add("4 calls under the loader's monitor took " + (System.nanoTime() - start) / 1_000_000 + " ms, "
                + right + " right");
        Object diagnostics = carrier.getMethod("diagnostics").invoke(null); // waits for the decision now
        EVENTS.add("that copy's path afterwards: " + diagnostics.getClass().getMethod("path").invoke(diagnostics));
        EVENTS.add("CarrierLocal afterwards: " + carrierLocal.getMethod("get").invoke(local));
    }

    /**
     * Issue 19: virtual threads bound to OS threads of their own (-XX:-VMContinuations):
     * Carrier.thread() is the virtual thread itself, and osThreadIdOf(it), from another thread
     * while it runs, is its own tid.
     */
    static void boundVirtualThreads() throws InterruptedException {
        long[] seen = new long[2];
        Thread[] carrier = new Thread[1];
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread v = Truth.startVirtualThread(() -> {
            carrier[0] = Carrier.thread();
            seen[0] = Carrier.osThreadId();
            seen[1] = Truth.kernelTid();
            running.countDown();
            try {
                done.await();
            } catch (InterruptedException e) {
                // end
            }
        });
        running.await();
        java.util.OptionalLong of = Carrier.osThreadIdOf(v);
        done.countDown();
        v.join();
        EVENTS.add("bound: thread() is itself " + (carrier[0] == v) + ", osThreadId right " + (seen[0] == seen[1])
                + ", osThreadIdOf it right " + (of.isPresent() && of.getAsLong() == seen[1])
                + ", after its end empty " + Carrier.osThreadIdOf(v).isEmpty());
    }

    /**
     * Issue 19, with -Dcarrierid.inject.error: an OutOfMemoryError at each point where carrierid
     * first makes something it keeps. A caller may see one (as it may see any OutOfMemoryError);
     * nothing is kept broken: the decision, CarrierLocal's classes, the FFM set-up, the version
     * and the reflective carrier all come right at a later call.
     */
    static void injectedErrors() throws Exception {
        for (int i = 0; i < 3; i++) {
            try {
                Carrier.osThreadId();
                EVENTS.add("version " + Carrier.diagnostics().toJson().contains("\"version\":\"(development build)\""));
            } catch (OutOfMemoryError e) {
                EVENTS.add("call threw " + e.getMessage());
            }
        }
        awaitDecision();
        EVENTS.add("keys ready " + Init.keysReady());
        if (Truth.hasVirtualThreads()) {
            Thread[] carriers = new Thread[2];
            String[] thrown = {"none"};
            Truth.startVirtualThread(() -> {
                for (int i = 0; i < 2; i++) {
                    try {
                        carriers[i] = Carrier.thread();
                    } catch (OutOfMemoryError e) {
                        thrown[0] = e.getMessage();
                    }
                }
                Carrier.osThreadId();
            }).join();
            EVENTS.add("virtual thread's carrier " + (carriers[1] != null && !Truth.isVirtual(carriers[1]))
                    + ", thrown " + thrown[0]);
            for (int i = 0; i < 500 && Active.FFM_POSSIBLE && VirtualPath.peek() != VirtualPath.FFM; i++) {
                Thread.sleep(20);
            }
            EVENTS.add("virtual path " + VirtualPath.peek());
        }
    }

    /**
     * Issue 20: Carrier.index() under thread churn, in a JVM of its own: distinct among live
     * threads, reused after they end, always below the peak number of live threads that asked.
     */
    static void indexChurn() throws Exception {
        int main = Carrier.index();
        int peak = 1;
        int highest = main;
        int clashes = 0;
        for (int round = 0; round < 50; round++) {
            int threads = 1 + round % 8;
            peak = Math.max(peak, threads + 1);
            int[] seen = new int[threads];
            java.util.concurrent.CountDownLatch asked = new java.util.concurrent.CountDownLatch(threads);
            java.util.concurrent.CountDownLatch end = new java.util.concurrent.CountDownLatch(1);
            List<Thread> started = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int slot = i;
                Thread t = new Thread(() -> {
                    seen[slot] = Carrier.index();
                    asked.countDown();
                    try {
                        end.await(); // all alive together while the others ask
                    } catch (InterruptedException e) {
                        // end
                    }
                });
                t.start();
                started.add(t);
            }
            asked.await();
            java.util.Set<Integer> distinct = new java.util.HashSet<>();
            distinct.add(main);
            for (int index : seen) {
                clashes += distinct.add(index) ? 0 : 1;
                highest = Math.max(highest, index);
            }
            end.countDown();
            for (Thread t : started) {
                t.join();
            }
        }
        EVENTS.add("index: clashes " + clashes + ", highest " + highest + ", peak live " + peak
                + ", below the peak " + (highest < peak));
    }

    /**
     * Issue 20: CarrierPool where carriers cannot be told apart (run without libcarrierid): one
     * shared, bounded pool, never one per thread: 2,000 threads (virtual on 21+) each take and give
     * back 4 times, blocking between; the objects made are counted.
     */
    static void pooledWithoutTheLibrary() throws Exception {
        java.util.concurrent.atomic.AtomicInteger made = new java.util.concurrent.atomic.AtomicInteger();
        CarrierPool<Object> pool = CarrierPool.create(2, () -> {
            made.incrementAndGet();
            return new Object();
        });
        List<Thread> started = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            Runnable body = () -> {
                for (int op = 0; op < 4; op++) {
                    pool.release(pool.acquire());
                    java.util.concurrent.locks.LockSupport.parkNanos(50_000);
                }
            };
            Thread t = Truth.hasVirtualThreads() ? Truth.startVirtualThread(body) : new Thread(body);
            if (!t.isAlive() && t.getState() == Thread.State.NEW) {
                t.start();
            }
            started.add(t);
        }
        for (Thread t : started) {
            t.join();
        }
        EVENTS.add("shared pool: made " + made.get() + " for 2000 threads, idle " + pool.idleCount()
                + ", processors " + Runtime.getRuntime().availableProcessors());
        EVENTS.add("index without the library: " + Carrier.index() + " " + Carrier.index());
    }

    /** Issue 22, run without libcarrierid: Carrier.cpuTimeNanos() against ThreadMXBean of the same OS thread. */
    @SuppressWarnings("deprecation")
    static void cpuTimeWithoutTheLibrary() throws Exception {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadCpuTime();
        long ours = Carrier.cpuTimeNanos();
        long after = mx.getCurrentThreadCpuTime();
        EVENTS.add("cpu platform agrees " + (before <= ours && ours <= after));
        if (Truth.hasVirtualThreads()) {
            boolean[] agrees = new boolean[1];
            Truth.startVirtualThread(() -> {
                Thread carrier = Carrier.thread();
                long b = mx.getThreadCpuTime(carrier.getId());
                long o = Carrier.cpuTimeNanos();
                long a = mx.getThreadCpuTime(carrier.getId());
                agrees[0] = b <= o && o <= a;
            }).join();
            EVENTS.add("cpu virtual agrees " + agrees[0]);
        }
    }

    /**
     * The first calls while libcarrierid is still on its way: carrierid-init is stuck opening it
     * ({@code -Dcarrierid.library.path} names a FIFO nobody writes yet, a slow or hung file system's
     * stand-in). {@code osThreadId()} must answer at once, from the kernel's /proc, on platform and
     * virtual threads, and never wait for the library; then the library arrives through the FIFO
     * and carrierid decides as usual.
     */
    static void firstCallsWhileTheLibraryIsOnItsWay(Path fifo, Path library) throws Exception {
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        AtomicLong answered = new AtomicLong();
        AtomicLong longestNanos = new AtomicLong();
        Runnable calls = () -> {
            for (int call = 0; call < 20; call++) {
                long start = System.nanoTime();
                long tid = Carrier.osThreadId();
                long took = System.nanoTime() - start;
                boolean stillOnItsWay = Init.library() == Init.LIBRARY_UNKNOWN && !Init.published();
                // The truth right after the call, nothing that can block in between: an answer naming
                // a carrier that a virtual thread left during the call (it may block inside) is wrong.
                long truth = Truth.osThreadNow();
                if (Truth.osThreadNow() != truth) {
                    continue; // a virtual thread moved during the truths themselves: nothing to compare
                }
                answered.incrementAndGet();
                longestNanos.accumulateAndGet(took, Math::max);
                if (tid != truth || !stillOnItsWay) {
                    wrong.add("tid " + tid + " vs " + truth + ", library still on its way " + stillOnItsWay);
                }
            }
        };
        calls.run(); // the very first call, on main
        // Init's monitor held a while (a host that locks a class object): the calls made meanwhile block
        // inside osThreadId() (it takes that monitor to see whether to start the decision), and on 24+
        // a virtual thread leaves its carrier there: its answer must name the one it returns on.
        CountDownLatch held = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            synchronized (Init.class) {
                held.countDown();
                sleepQuietly(300);
            }
        });
        holder.start();
        held.await();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread t = new Thread(calls);
            t.start();
            threads.add(t);
        }
        for (int i = 0; Truth.hasVirtualThreads() && i < 16; i++) {
            threads.add(Truth.startVirtualThread(calls));
        }
        for (Thread t : threads) {
            t.join();
        }
        holder.join();
        EVENTS.add("calls while the library was on its way: " + answered.get() + ", wrong " + wrong.size()
                + (wrong.isEmpty() ? "" : " (" + wrong.peek() + ")") + ", longest "
                + longestNanos.get() / 1_000_000 + " ms");
        Files.write(fifo, Files.readAllBytes(library)); // opens the FIFO: it arrives
        awaitDecision();
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void firstCallWithNoThreadToBeHad() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> hogs = new ArrayList<>();
        String outcome = "no thread limit reached";
        try {
            while (hogs.size() < 100_000) {
                Thread t = new Thread(() -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        // end
                    }
                });
                t.start();
                hogs.add(t);
            }
        } catch (OutOfMemoryError e) {
            EVENTS.add("thread limit reached after " + hogs.size() + " threads: " + e.getMessage());
            try {
                long tid = Carrier.osThreadId();
                outcome = tid == Truth.kernelTid() ? "returned the right tid" : "returned a WRONG tid";
            } catch (Throwable t) {
                outcome = "threw " + t;
            }
        }
        release.countDown();
        for (Thread t : hogs) {
            t.join();
        }
        EVENTS.add("first call with no thread to be had: " + outcome + "; diagnostics then: "
                + Carrier.diagnostics().fallbackReason());
        awaitDecision();
    }

    static void firstCallHoldingTheThreadGroup() {
        long start = System.nanoTime();
        synchronized (Thread.currentThread().getThreadGroup()) {
            Carrier.osThreadId();
        }
        EVENTS.add("first call holding the thread group's monitor took " + (System.nanoTime() - start) / 1_000_000
                + " ms, fast path " + Carrier.diagnostics().fastPath());
    }

    @SuppressWarnings({"deprecation", "removal"}) // Thread.stop: what a JDK 17 host may do
    static void firstCallStopped() throws InterruptedException {
        for (int delay = 0; delay < 40 && !Init.ready(); delay += 2) {
            Thread victim = new Thread(Carrier::osThreadId);
            victim.start();
            long until = System.nanoTime() + delay * 1_000_000L;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            victim.stop();
            victim.join();
        }
        EVENTS.add("Thread.stop during first calls: survived");
        awaitDecision();
    }

    private static volatile boolean inFirstCall;

    /**
     * An inheritable thread-local whose childValue calls carrierid: a thread carrierid starts
     * for itself must not run it (before, it ran on the initialising thread, mid-initialisation).
     */
    static void firstCallWithAnInheritableHook() {
        java.util.concurrent.atomic.AtomicInteger duringFirstCall = new java.util.concurrent.atomic.AtomicInteger();
        InheritableThreadLocal<String> hook = new InheritableThreadLocal<>() {
            @Override
            protected String childValue(String parent) {
                if (inFirstCall) {
                    duringFirstCall.incrementAndGet();
                }
                long tid = Carrier.osThreadId();
                if (tid != Truth.kernelTid()) {
                    EVENTS.add("HOOK WRONG tid " + tid + " in childValue");
                }
                return parent;
            }
        };
        hook.set("inherited");
        inFirstCall = true;
        Carrier.osThreadId();
        inFirstCall = false;
        EVENTS.add("childValue calls during the first call: " + duringFirstCall.get());
    }

    /** A JUL handler that calls carrierid from inside carrierid's own warning (run with a table that disagrees). */
    static void installLoggingHook() {
        Logger.getLogger("").addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (!String.valueOf(record.getMessage()).contains("carrierid")) {
                    return;
                }
                try {
                    long tid = Carrier.osThreadId();
                    long address = Carrier.javaThreadAddress();
                    boolean right = tid == Truth.kernelTid() && address == Truth.eetop(Thread.currentThread());
                    CarrierLocal<String> local = CarrierLocal.withInitial(() -> "made");
                    EVENTS.add("HOOK " + (right ? "ok" : "WRONG tid " + tid + " address " + address)
                            + " path " + Carrier.diagnostics().path() + " local " + local.get()
                            + " of " + Carrier.osThreadIdOf(Thread.currentThread()));
                } catch (Throwable t) {
                    EVENTS.add("HOOK THREW " + t);
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        });
    }
}
