package io.carrierid;

/**
 * The one-time decision of which path answers, made so that nothing can brick,
 * hang or fool carrierid:
 *
 * <ul>
 * <li>{@link Setup} runs on a thread of its own ({@code carrierid-init}), with a
 *     fresh stack: a caller deep in its stack or holding locks cannot make it
 *     fail, and every class carrierid initialises is initialised there.
 *     Beside it, the first time, {@code carrierid-preload} loads (without
 *     initialising) the classes it will need ({@link Preload}): a head start.
 * <li>A caller waits for it at most {@value #WAIT_MILLIS} ms, and never when it
 *     is that thread itself (a logging hook, say): in both cases it gets a
 *     provisional answer ({@link Provisional}), right but slower, and nothing
 *     provisional is cached.
 * <li>An {@code Error} (no memory, no thread to be had, ...) is a transient
 *     failure: the decision is tried again after a back-off, never given up
 *     for the JVM's life.
 * <li>Only a finished outcome is published; {@link Active}'s static finals are
 *     initialised from it on carrierid-init just before it is.
 * </ul>
 *
 * <p>This class has no static initialiser (no field has an initial value), so
 * that it can never itself be left unusable by an {@code Error} while it
 * initialises; the same holds for {@link Provisional} and {@link Native}.
 *
 * <p>The rule for code that runs on the first call's path: classes, not lambdas,
 * method references or streams. The first lambda in a JVM bootstraps
 * {@code java.lang.invoke} (milliseconds, and dozens of classes), which would land
 * on the first call of every program that uses carrierid. Where a class below
 * is anonymous or nested for no other visible reason, this is the reason.
 */
final class Init {
    /** How long a caller waits for a running decision before answering provisionally. */
    static final long WAIT_MILLIS = 5_000;
    /** Back-off after a transient failure: first and longest. */
    static final long FIRST_RETRY_MILLIS = 50;
    static final long LONGEST_RETRY_MILLIS = 30_000;

    static final int LIBRARY_UNKNOWN = 0;
    static final int LIBRARY_LOADED = 1;
    static final int LIBRARY_ABSENT = 2;

    /** The finished decision; null until there is one. */
    private static volatile Setup.Outcome decided;
    /** The decision about to be published, for {@link Active}'s initialiser (on carrierid-init). */
    private static Setup.Outcome staged;
    /** Whether libcarrierid is loaded in this class loader; set as soon as that is known. */
    private static volatile int library;
    /**
     * Whether CarrierKeys and CarrierValues are initialised (on carrierid-init, see warmUp()): until
     * then CarrierLocal keeps values per thread and Carrier.thread() asks JNI, so that no caller ever
     * runs those classes' initialisers on its own stack (an Error there would leave them unusable).
     */
    private static volatile boolean keysReady;
    /** The published attempt's warm-up, for {@link #keysReady()}'s bounded wait; null before publication. */
    private static volatile Attempt warming;

    // Guarded by Init.class (the monitor is held only for a few instructions, never across a wait).
    private static Attempt running;
    private static int failures;
    private static long retryAt;
    private static String lastFailure;

    private Init() {}

    /**
     * {@code decided != null}, as a plain field for the hot path: a thread that reads it
     * stale (false) only takes the volatile read below. Reading {@link Active} after seeing it
     * true is safe: class initialisation publishes Active's fields to every thread.
     */
    private static boolean readyHint;

    /** True once the decision is published; may start it, or wait a bounded time for it. */
    static boolean ready() {
        return readyHint || decided != null || decide();
    }

    /** True once the decision is published; never starts it, never waits. */
    static boolean published() {
        return readyHint || decided != null;
    }

    /**
     * For the calls whose provisional answer through a loaded libcarrierid is exact (the caller's
     * tid by gettid, its JavaThread by eetop, its carrier): true once the decision is published;
     * else false as soon as libcarrierid is loaded, without waiting for the offsets' choice and
     * verification, which go on on carrierid-init. Where the library is not loaded (yet, or at
     * all) it waits as {@link #ready()} does, within the same bound, for the whole decision.
     */
    static boolean readyOrLibrary() {
        if (readyHint || decided != null) {
            return true;
        }
        Attempt attempt = claimQuietly();
        if (attempt == null || attempt.thread == Thread.currentThread()) {
            return decided != null;
        }
        if (holdsALoadersMonitor()) {
            return decided != null;
        }
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        if (library != LIBRARY_LOADED) { // a retry finds it loaded by an earlier attempt
            attempt.libraryKnown.await(WAIT_MILLIS);
        }
        if (decided != null || library == LIBRARY_LOADED) {
            return decided != null;
        }
        attempt.await(Math.max(0, (deadline - System.nanoTime()) / 1_000_000));
        return decided != null;
    }

    static Setup.Outcome staged() {
        return staged;
    }

    static int library() {
        return library;
    }

    /**
     * True once CarrierKeys and CarrierValues are initialised; right after publication, waits
     * (within the same bound as the decision, and not where the caller holds a monitor that
     * initialising them may need, nor on carrierid-init itself) for carrierid-init's warm-up.
     */
    static boolean keysReady() {
        if (keysReady) {
            return true;
        }
        Attempt attempt = warming;
        if (attempt != null && attempt.thread != Thread.currentThread() && !holdsALoadersMonitor()) {
            attempt.warmedUp.await(WAIT_MILLIS);
        }
        return keysReady;
    }

    static void libraryIs(boolean loaded) {
        library = loaded ? LIBRARY_LOADED : LIBRARY_ABSENT;
        Attempt attempt;
        synchronized (Init.class) {
            attempt = running;
        }
        if (attempt != null) {
            attempt.libraryKnown.markDone(); // callers of readyOrLibrary() may answer through it now
        }
    }

    /** Why there is no decision yet, for a provisional report. */
    static String pending() {
        synchronized (Init.class) {
            if (running != null && running.thread == Thread.currentThread()) {
                return "carrierid is initialising on this very thread (a re-entrant call, from a hook)";
            }
            if (running != null) {
                return "carrierid is still initialising (waited " + WAIT_MILLIS + " ms)";
            }
            return failures == 0 ? "carrierid has not initialised yet"
                    : "initialisation failed " + failures + " time(s), last: " + lastFailure
                            + "; it is tried again at a later call";
        }
    }

    private static boolean decide() {
        Attempt attempt = claimQuietly();
        if (attempt != null && attempt.thread != Thread.currentThread() && !holdsALoadersMonitor()) {
            attempt.await(WAIT_MILLIS);
        }
        return decided != null;
    }

    /**
     * Whether the caller holds the monitor of carrierid's class loader or of one of its parents:
     * a loader that is not parallel capable loads classes under it, so carrierid-init, which loads
     * carrierid's classes, cannot go on until the caller lets go (a call from inside that loader's
     * loadClass, or from a class file transformer running under it). Such a caller does not wait:
     * it is answered provisionally at once, every time, until the decision is published.
     */
    private static boolean holdsALoadersMonitor() {
        try {
            for (ClassLoader loader = Init.class.getClassLoader(); loader != null; loader = loader.getParent()) {
                if (Thread.holdsLock(loader)) {
                    return true;
                }
            }
        } catch (RuntimeException e) {
            // getParent() refused by a SecurityManager: what was seen so far
        }
        return false;
    }

    /** {@link #claim()}, or null when even that failed (no memory): tried again at a later call. */
    private static Attempt claimQuietly() {
        try {
            return claim();
        } catch (Throwable t) {
            FreshThread.rethrowIfThreadDeath(t);
            return null;
        }
    }

    /** The running attempt (starting one if due), or null when none runs and none is due. */
    private static Attempt claim() {
        Attempt attempt;
        synchronized (Init.class) {
            if (decided != null || running != null) {
                return running;
            }
            if (failures > 0 && System.nanoTime() - retryAt < 0) {
                return null;
            }
            attempt = new Attempt(failures == 0);
            running = attempt;
        }
        // Outside the monitor: on JDK 17 creating and starting a thread can wait for a thread group's monitor.
        try {
            Thread thread = FreshThread.create(attempt, "carrierid-init");
            attempt.thread = thread;
            thread.start();
        } catch (Throwable t) {
            failed(attempt, "could not start carrierid-init: " + t);
            FreshThread.rethrowIfThreadDeath(t);
            return null;
        }
        if (attempt.first) {
            preload();
        }
        return attempt;
    }

    /** A head start for carrierid-init ({@link Preload}); not to be had (a thread limit, say), nothing is lost. */
    private static void preload() {
        try {
            FreshThread.create(new Preload(), "carrierid-preload").start();
        } catch (Throwable t) {
            FreshThread.rethrowIfThreadDeath(t);
        }
    }

    private static void failed(Attempt attempt, String why) {
        synchronized (Init.class) {
            if (attempt == null || running == attempt) {
                running = null;
            }
            failures++;
            lastFailure = why;
            long delay = Math.min(LONGEST_RETRY_MILLIS, FIRST_RETRY_MILLIS << Math.min(failures - 1, 20));
            retryAt = System.nanoTime() + delay * 1_000_000;
        }
    }

    private static void publish(Setup.Outcome outcome) {
        synchronized (Init.class) {
            decided = outcome;
            running = null;
        }
        readyHint = true;
    }

    /** One run of {@link Setup} on its own thread; callers wait on it with a bound. */
    private static final class Attempt extends Completion implements Runnable {
        volatile Thread thread;
        /** The first attempt in this JVM (a retry finds carrierid's classes loaded). */
        final boolean first;
        /** Started when a caller asked: the first mark is carrierid-init's start. */
        final Timeline timeline = new Timeline();
        /** Done once libcarrierid is loaded or known not to be, or the attempt ended: see readyOrLibrary(). */
        final Step libraryKnown = new Step();
        /** Done once the warm-up after publication has ended (CarrierKeys ready, or not to be had now). */
        final Step warmedUp = new Step();

        Attempt(boolean first) {
            this.first = first;
        }

        @Override
        public void run() {
            Setup.Outcome published = null;
            try {
                timeline.mark("start carrierid-init");
                Setup.Outcome outcome = Setup.run(timeline);
                if (outcome.retry()) {
                    failed(this, outcome.diagnostics().fallbackReason());
                } else {
                    staged = outcome;
                    prepare();
                    timeline.mark("publish (initialise the dispatch classes)");
                    warming = this;
                    publish(outcome);
                    published = outcome;
                }
            } catch (Throwable t) { // Setup catches everything; this is for an Error in the code above
                failed(this, t.toString());
            } finally {
                libraryKnown.markDone();
                markDone();
            }
            // After waking the callers: no caller waits for the warm-up, and a caller may hold a
            // lock the logging needs (a log layout that prints the tid inside its appender's lock).
            if (published != null) {
                try {
                    warmUp();
                } finally {
                    warmedUp.markDone();
                }
                log(published);
            }
        }
    }

    /** A step of an attempt that callers may wait for: libcarrierid's fate ({@link #readyOrLibrary()}), the warm-up. */
    private static final class Step extends Completion {}

    /**
     * On carrierid-init, before the decision is visible: initialise here, and not on some
     * caller's deep stack, every class the public methods use once it is. (An Error here
     * is a transient failure like any other; see Attempt.run.)
     */
    private static void prepare() {
        Heap.requireHeadroom("initialise carrierid's dispatch classes"); // else: a transient failure, retried
        Injected.error("prepare");
        Active.touch();
        PlatformIds.touch();
        if (Threads.haveVirtualThreads()) {
            VirtualPath.touch(); // and the check's result types: initialised here, not on a virtual caller's stack
        }
    }

    /**
     * On carrierid-init, once the decision is visible to all and the callers are awake:
     * initialise the classes only some callers need (CarrierLocal's), and link the public
     * methods' call sites, here rather than on some caller's deep stack.
     */
    private static void warmUp() {
        if (decided.nativeLoaded()) {
            // VarHandles cost milliseconds no caller should wait for; and an initialiser run out of heap
            // would leave its class unusable for good: only with room, retried (per thread meanwhile).
            long delay = FIRST_RETRY_MILLIS;
            for (int tries = 0; !keysReady && tries < 100; tries++) {
                try {
                    Heap.requireHeadroom("initialise CarrierLocal's classes");
                    Injected.error("warmup");
                    CarrierKeys.touch();
                    CarrierValues.touch();
                    keysReady = true;
                } catch (VirtualMachineError e) {
                    sleepQuietly(delay);
                    delay = Math.min(1_000, delay * 2);
                } catch (Throwable t) {
                    break; // a class left unusable (never seen): CarrierLocal stays per thread, right but not shared
                }
            }
        }
        try {
            // The public methods' dispatch, not the facade: the call sites the callers will take.
            Dispatch.osThreadId();
            Dispatch.javaThreadAddress();
            Dispatch.carrierThread();
        } catch (Throwable t) {
            // Warm-up only: a failure here changes nothing already decided.
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Logs the decision's warnings; a logging hook that calls carrierid now gets the real answers. */
    private static void log(Setup.Outcome outcome) {
        for (String warning : outcome.toLog()) {
            Log.warning(warning);
        }
    }
}
