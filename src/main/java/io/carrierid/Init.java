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
 *     provisional is cached. {@code osThreadId()} does not wait at all where
 *     /proc can answer: it answers first, then starts the decision ({@link #start()}).
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

    // The phases of State (ints, not an enum: an enum has an initialiser, and this class must have none).
    /** No attempt runs: none was asked for yet, or the last one failed (see failures, retryAt). */
    private static final int IDLE = 0;
    /** An attempt runs on carrierid-init. */
    private static final int RUNNING = 1;
    /** The attempt has its outcome; Active's initialiser reads it (on carrierid-init). */
    private static final int STAGED = 2;
    /** The outcome is final, for the JVM's life. */
    private static final int PUBLISHED = 3;

    /**
     * Everything Init knows, in one immutable value: replaced whole (under Init's monitor, held for
     * a few instructions and never across a wait) and read with one volatile read.
     *
     * @param phase       IDLE, RUNNING, STAGED or PUBLISHED
     * @param attempt     the running attempt (RUNNING, STAGED), or the published one (for the
     *                    warm-up's wait); null when IDLE
     * @param outcome     the decision (STAGED, PUBLISHED); else null
     * @param library     whether libcarrierid is loaded in this class loader (LIBRARY_*): set as soon
     *                    as an attempt knows, kept across attempts
     * @param keysReady   whether CarrierKeys and CarrierValues are initialised (by the warm-up after
     *                    publication, on carrierid-init): until then CarrierLocal keeps values per
     *                    thread and Carrier.thread() asks JNI, so that no caller ever runs those
     *                    classes' initialisers on its own stack (an Error there would leave them unusable)
     * @param failures    attempts that failed so far
     * @param retryAt     System.nanoTime() before which no new attempt starts (after a failure)
     * @param lastFailure why the last attempt failed, for people; null if none did
     */
    private record State(int phase, Attempt attempt, Setup.Outcome outcome, int library, boolean keysReady,
                         int failures, long retryAt, String lastFailure) {
        State running(Attempt next) {
            return new State(RUNNING, next, null, library, keysReady, failures, retryAt, lastFailure);
        }

        State staged(Setup.Outcome chosen) {
            return new State(STAGED, attempt, chosen, library, keysReady, failures, retryAt, lastFailure);
        }

        State published() {
            return new State(PUBLISHED, attempt, outcome, library, keysReady, failures, retryAt, lastFailure);
        }

        State failed(long nextTry, String why) {
            return new State(IDLE, null, null, library, keysReady, failures + 1, nextTry, why);
        }

        State withLibrary(int fate) {
            return new State(phase, attempt, outcome, fate, keysReady, failures, retryAt, lastFailure);
        }

        State withKeysReady() {
            return new State(phase, attempt, outcome, library, true, failures, retryAt, lastFailure);
        }

        boolean isPublished() {
            return phase == PUBLISHED;
        }

        /** The attempt that runs now, or null. */
        Attempt runningAttempt() {
            return phase == RUNNING || phase == STAGED ? attempt : null;
        }
    }

    /** The state; null stands for the first (IDLE, nothing known): no initial value, see above. */
    private static volatile State state;

    private Init() {}

    private static State state() {
        State s = state;
        return s != null ? s : new State(IDLE, null, null, LIBRARY_UNKNOWN, false, 0, 0, null);
    }

    /**
     * {@code state} is published, as a plain field for the hot path: a thread that reads it
     * stale (false) only takes the volatile read below. Reading {@link Active} after seeing it
     * true is safe: class initialisation publishes Active's fields to every thread.
     */
    private static boolean readyHint;

    /**
     * {@code state.keysReady()}, as a plain field for the hot path, as {@link #readyHint} is: a stale
     * false only takes the volatile read; after a true, CarrierKeys' initialisation is complete for
     * every thread (class initialisation publishes it).
     */
    private static boolean keysHint;

    private static boolean isPublished() {
        State s = state;
        return s != null && s.isPublished();
    }

    /**
     * True once the decision is published; may start it, or wait a bounded time for it. Tiny, so
     * that the JIT inlines it into every public method: once published, one plain read.
     */
    static boolean ready() {
        return readyHint || isPublished() || decide();
    }

    /** True once the decision is published; never starts it, never waits. */
    static boolean published() {
        return readyHint || isPublished();
    }

    /**
     * For the calls whose provisional answer through a loaded libcarrierid is exact (the caller's
     * tid by gettid, its JavaThread by eetop, its carrier): true once the decision is published;
     * else false as soon as libcarrierid is loaded, without waiting for the offsets' choice and
     * verification, which go on on carrierid-init. Where the library is not loaded (yet, or at
     * all) it waits as {@link #ready()} does, within the same bound, for the whole decision.
     */
    static boolean readyOrLibrary() {
        return readyHint || readyOrLibraryNow();
    }

    /**
     * Starts the decision if it is due (none published, none running, no back-off pending);
     * never waits for it. For {@code osThreadId()}'s first calls, which answer provisionally
     * ({@link Provisional#osThreadIdThenStart()}).
     */
    static void start() {
        claimQuietly();
    }

    /** {@link #readyOrLibrary()} before this thread has seen the decision published: kept out of it so that it inlines. */
    private static boolean readyOrLibraryNow() {
        if (isPublished()) {
            return true;
        }
        Attempt attempt = claimQuietly();
        if (attempt == null || attempt.thread == Thread.currentThread() || holdsALoadersMonitor()) {
            return isPublished();
        }
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        if (library() != LIBRARY_LOADED) { // a retry finds it loaded by an earlier attempt
            attempt.libraryKnown.await(WAIT_MILLIS);
        }
        State s = state();
        if (s.isPublished() || s.library() == LIBRARY_LOADED) {
            return s.isPublished();
        }
        attempt.await(Math.max(0, (deadline - System.nanoTime()) / 1_000_000));
        return isPublished();
    }

    /** The outcome Active's initialiser reads: set on carrierid-init just before it runs. */
    static Setup.Outcome staged() {
        return state().outcome();
    }

    static int library() {
        State s = state;
        return s != null ? s.library() : LIBRARY_UNKNOWN;
    }

    /**
     * True once CarrierKeys and CarrierValues are initialised; right after publication, waits
     * (within the same bound as the decision, and not where the caller holds a monitor that
     * initialising them may need, nor on carrierid-init itself) for carrierid-init's warm-up.
     */
    static boolean keysReady() {
        return keysHint || keysReadyNow();
    }

    /**
     * True once this thread has seen CarrierKeys ready (one plain read; a stale false is only a
     * slower way, through {@link #keysReady()}): then the decision is published, with libcarrierid
     * loaded (the keys are made ready only then, see warmUp), so Active may be read. Never waits.
     */
    static boolean keysSeenReady() {
        return keysHint;
    }

    private static boolean keysReadyNow() {
        State s = state();
        if (s.keysReady()) {
            return true;
        }
        Attempt published = s.isPublished() ? s.attempt() : null;
        if (published != null && published.thread != Thread.currentThread() && !holdsALoadersMonitor()) {
            published.warmedUp.await(WAIT_MILLIS);
        }
        return state().keysReady();
    }

    /** Whether libcarrierid is loaded: told by the running attempt as soon as it knows. */
    private static void libraryIs(Attempt attempt, boolean loaded) {
        synchronized (Init.class) {
            state = state().withLibrary(loaded ? LIBRARY_LOADED : LIBRARY_ABSENT);
        }
        attempt.libraryKnown.markDone(); // callers of readyOrLibrary() may answer through it now
    }

    /** How long a caller that no provisional path can answer waits for libcarrierid or the decision. */
    static final long LAST_RESORT_WAIT_MILLIS = 60_000;

    /**
     * For a caller that no provisional path can answer (no libcarrierid yet, and a /proc that is
     * hidden or another PID namespace's): waits, at most {@code millis} and never on carrierid-init
     * itself nor holding a class loader's monitor it needs, until libcarrierid is loaded or the
     * decision is published (on a slow host both can take longer than {@link #WAIT_MILLIS}); true
     * if one of them came.
     */
    static boolean awaitLibraryOrDecision(long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (true) {
            State s = state();
            if (s.isPublished() || s.library() == LIBRARY_LOADED) {
                return true;
            }
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            Attempt attempt = claimQuietly();
            if (attempt == null) {
                sleepQuietly(Math.min(left, FIRST_RETRY_MILLIS)); // a retry is due later: ask again then
            } else if (attempt.thread == Thread.currentThread() || holdsALoadersMonitor()) {
                return false;
            } else if (s.library() == LIBRARY_UNKNOWN) {
                attempt.libraryKnown.await(left);
            } else {
                attempt.await(left);
            }
        }
    }

    /** Why there is no decision yet, for a provisional report. */
    static String pending() {
        State s = state();
        Attempt attempt = s.runningAttempt();
        if (attempt != null && attempt.thread == Thread.currentThread()) {
            return "carrierid is initialising on this very thread (a re-entrant call, from a hook)";
        }
        if (attempt != null) {
            return "carrierid is still initialising (waited " + WAIT_MILLIS + " ms)";
        }
        return s.failures() == 0 ? "carrierid has not initialised yet"
                : "initialisation failed " + s.failures() + " time(s), last: " + s.lastFailure()
                        + "; it is tried again at a later call";
    }

    private static boolean decide() {
        Attempt attempt = claimQuietly();
        if (attempt != null && attempt.thread != Thread.currentThread() && !holdsALoadersMonitor()) {
            attempt.await(WAIT_MILLIS);
        }
        return isPublished();
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
            State s = state();
            if (s.isPublished() || s.runningAttempt() != null) {
                return s.runningAttempt();
            }
            if (s.failures() > 0 && System.nanoTime() - s.retryAt() < 0) {
                return null;
            }
            attempt = new Attempt(s.failures() == 0);
            attempt.ifFailed = s.failed(System.nanoTime() + backOffMillis(s.failures() + 1) * 1_000_000,
                    "carrierid-init failed (no memory left to say how)");
            state = s.running(attempt);
        }
        // Outside the monitor: on JDK 17 creating and starting a thread can wait for a thread group's monitor.
        try {
            Thread thread = FreshThread.create(attempt, "carrierid-init");
            attempt.thread = thread;
            thread.start();
        } catch (Throwable t) {
            failed(attempt, "could not start carrierid-init: ", t);
            FreshThread.rethrowIfThreadDeath(t);
            return null;
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

    /**
     * The attempt ended without an outcome: back to IDLE, with a back-off before the next. Never
     * throws: without memory for the words or the new state, the attempt's prepared failure is used
     * (else the state would stay RUNNING for good, and every caller wait for a dead attempt).
     */
    private static void failed(Attempt attempt, String what, Object detail) {
        String why = what;
        try {
            why = what + detail;
        } catch (Throwable t) {
            // no memory for the words: what happened, without the detail
        }
        synchronized (Init.class) {
            State s = state();
            if (s.runningAttempt() != attempt) {
                return; // not the attempt that runs (never seen): nothing to end
            }
            State next = attempt.ifFailed;
            try {
                next = s.failed(System.nanoTime() + backOffMillis(s.failures() + 1) * 1_000_000, why);
            } catch (Throwable t) {
                // no memory: the failure prepared when the attempt started
            }
            state = next;
        }
    }

    private static long backOffMillis(int failures) {
        return Math.min(LONGEST_RETRY_MILLIS, FIRST_RETRY_MILLIS << Math.min(failures - 1, 20));
    }

    /** Stages the outcome for Active's initialiser; returns the state that publishes it. */
    private static State stage(Setup.Outcome outcome) {
        synchronized (Init.class) {
            State staged = state().staged(outcome);
            State published = staged.published();
            state = staged;
            return published;
        }
    }

    /**
     * Publishes: from here on, for the JVM's life, the outcome in Active answers. Allocates nothing
     * (Active is initialised from the staged outcome by now: an Error here would split the two).
     */
    private static void publish(State published) {
        synchronized (Init.class) {
            state = published;
        }
        readyHint = true;
    }

    private static void keysAreReady() {
        synchronized (Init.class) {
            state = state().withKeysReady();
        }
        keysHint = true;
    }

    /** One run of {@link Setup} on its own thread; callers wait on it with a bound. */
    private static final class Attempt extends Completion implements Runnable {
        volatile Thread thread;
        /** The first attempt in this JVM (a retry finds carrierid's classes loaded). */
        final boolean first;
        /** The state that ends this attempt when failed() has no memory to make one; set by claim(). */
        State ifFailed;
        /** When a caller asked (System.nanoTime()): the timeline's first phase ends at carrierid-init's start. */
        final long requested = System.nanoTime();
        /** Done once libcarrierid is loaded or known not to be, or the attempt ended: see readyOrLibrary(). */
        final Completion libraryKnown = new Completion();
        /** Done once the warm-up after publication has ended (CarrierKeys ready, or not to be had now). */
        final Completion warmedUp = new Completion();

        Attempt(boolean first) {
            this.first = first;
        }

        @Override
        public void run() {
            if (first) {
                preload(); // from here, not from the caller that claimed: one class and one thread fewer on its way
            }
            Setup.Outcome published = null;
            try {
                // Made here, like LibraryNews, and not by the caller: each class loaded on the first
                // caller's thread costs it a few tenths of a millisecond.
                Timeline timeline = new Timeline(requested);
                timeline.mark("start carrierid-init");
                Setup.Outcome outcome = Setup.run(timeline, new LibraryNews(this));
                if (outcome.retry()) {
                    failed(this, "", outcome.diagnostics().fallbackReason());
                } else {
                    State next = stage(outcome); // and, made now, the published state: publishing allocates nothing
                    prepare();
                    timeline.mark("publish (initialise the dispatch classes)");
                    publish(next);
                    published = outcome;
                }
            } catch (Throwable t) { // Setup catches everything; this is for an Error in the code above
                failed(this, "", t);
            } finally {
                libraryKnown.markDone();
                markDone();
            }
            // After waking the callers: no caller waits for the warm-up, and a caller may hold a
            // lock the logging needs (a log layout that prints the tid inside its appender's lock).
            if (published != null) {
                try {
                    warmUp(published);
                } finally {
                    warmedUp.markDone();
                }
                log(published);
            }
        }
    }

    /** Setup's word to an attempt that libcarrierid is loaded or cannot be (before the rest of the decision). */
    private static final class LibraryNews implements Setup.Progress {
        private final Attempt attempt;

        LibraryNews(Attempt attempt) {
            this.attempt = attempt;
        }

        @Override
        public void libraryIs(boolean loaded) {
            Init.libraryIs(attempt, loaded);
        }
    }

    /**
     * On carrierid-init, before the decision is visible: initialise here, and not on some
     * caller's deep stack, every class the public methods use once it is. (An Error here
     * is a transient failure like any other; see Attempt.run.)
     */
    private static void prepare() {
        Heap.requireHeadroom("initialise carrierid's dispatch classes"); // else: a transient failure, retried
        Injected.error("prepare");
        Active.touch();
        if (Active.INTERNALS) {
            ActiveInternals.touch();
        }
        PlatformIds.touch();
        if (Threads.haveVirtualThreads()) {
            VirtualPath.touch(); // and the check's result types: initialised here, not on a virtual caller's stack
            if (Active.INTERNALS_EVERY_THREAD || Active.FFM_POSSIBLE) {
                Switches.touch(); // made here, not at a caller's call
            }
        }
    }

    /**
     * On carrierid-init, once the decision is visible to all and the callers are awake:
     * initialise the classes only some callers need (CarrierLocal's), and link the public
     * methods' call sites, here rather than on some caller's deep stack.
     */
    private static void warmUp(Setup.Outcome published) {
        if (published.nativeLoaded()) {
            // VarHandles cost milliseconds no caller should wait for; and an initialiser run out of heap
            // would leave its class unusable for good: only with room, retried (per thread meanwhile).
            long delay = FIRST_RETRY_MILLIS;
            for (int tries = 0; !state().keysReady() && tries < 100; tries++) {
                try {
                    Heap.requireHeadroom("initialise CarrierLocal's classes");
                    Injected.error("warmup");
                    CarrierKeys.touch();
                    CarrierValues.touch();
                    keysAreReady();
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
