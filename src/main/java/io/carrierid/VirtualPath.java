package io.carrierid;

/**
 * How the native fast path serves virtual threads (JDK 21+), decided at the first
 * call from a virtual thread, on that very thread, so that a program that never runs
 * one never pays for it: checking from a virtual thread during initialisation meant
 * starting the JDK's virtual-thread scheduler, most of the first call's cost on 25.
 *
 * <ol>
 * <li>{@link #UNCHECKED}: no virtual thread has called yet. The first to call checks
 *     the walk from where it runs ({@link Verification#checkVirtualHere}: on 24+ the
 *     carrier's {@code _monitor_owner_id} read through the TLS slot must be its own
 *     {@code threadId()}; one JNI call, no blocking point). Virtual threads that call
 *     at once each check; all must pass.
 * <li>{@link #JNI}: checked (or nothing to check, 21-23); JNI serves. On 22+ the FFM
 *     critical downcalls are set up on a thread of their own ({@code carrierid-ffm}),
 *     checked there against JNI, {@code eetop} and {@code gettid}.
 * <li>{@link #FFM}: those downcalls serve. Once no check is running, for good: {@link Switches#FFM}
 *     turns on, and a call no longer reads the mode.
 * <li>{@link #GETTID}: the check failed: the {@code gettid} syscall through JNI serves
 *     virtual threads (right, slower), the report says why and a warning is logged.
 *     Final: nothing leaves this state.
 * </ol>
 *
 * <p>Used only once the decision is published with the fast path on. No static
 * initialiser (see {@link Init}): the first caller may be deep in its stack.
 */
final class VirtualPath {
    static final int UNCHECKED = 0;
    static final int JNI = 1;
    static final int FFM = 2;
    static final int GETTID = 3;

    /** The state; one volatile read per call from a virtual thread, until {@link Switches#FFM} is on. */
    private static volatile int mode;
    /** Guards the FFM set-up's start; see {@link #startFfm()}. */
    private static volatile boolean ffmStarted;
    /**
     * Whether the JDK-internals path ({@link ActiveInternals}) serves virtual threads too: set by
     * the first check from a virtual thread that saw it give gettid's tid and the TLS walk's
     * JavaThread there; false for good once a check failed.
     */
    private static volatile boolean internalsForAll;
    /** Checks running now (see {@link #finishCheck()}). */
    private static final java.util.concurrent.atomic.AtomicInteger checking = new java.util.concurrent.atomic.AtomicInteger();
    /** What the check saw (null until a virtual thread has called), for reports. */
    private static volatile Verification.Virtual checked;
    /** The FFM handles set up and checked on carrierid-ffm, for ActiveFfm's initialiser; null before. */
    private static volatile FfmFastPath.Handles stagedFfm;
    /** ActiveFfm's handles where FFM is not used; made on carrierid-init (touch()), not in ActiveFfm's initialiser. */
    static final FfmFastPath.Handles FFM_NOT_USED = new FfmFastPath.Handles(null, null, "not used");

    private VirtualPath() {}

    /**
     * The state for a call now: never UNCHECKED. Only a virtual thread runs the check (a
     * platform thread that comes here, as a benchmark of the uncached path does, gets JNI, or FFM
     * once that is for good: both read the calling OS thread's own ids).
     */
    static int mode() {
        if (Active.FFM_POSSIBLE && Switches.FFM.on()) { // FFM for good: no read (the JIT folds this)
            return FFM;
        }
        int now = mode;
        if (now != UNCHECKED) {
            return now;
        }
        return Threads.isVirtual(Thread.currentThread()) ? check() : JNI;
    }

    /** Initialises what the first virtual caller will use (on carrierid-init, see {@link Init}). */
    static void touch() {
        java.lang.ref.Reference.reachabilityFence(Verification.Virtual.NOT_RUN);
        java.lang.ref.Reference.reachabilityFence(FFM_NOT_USED);
    }

    static FfmFastPath.Handles stagedFfm() {
        return stagedFfm;
    }

    /** The state without checking (for reports and tests). */
    static int peek() {
        return mode;
    }

    /** The check's outcome, or null when no virtual thread has called yet. */
    static Verification.Virtual checked() {
        return checked;
    }

    /**
     * True once the JDK-internals path may serve every caller, virtual threads included, as the checks
     * so far say (for reports: the dispatch reads {@link Switches#INTERNALS}, on once no check can still fail).
     */
    static boolean internalsForAll() {
        return internalsForAll;
    }

    private static int check() {
        checking.incrementAndGet();
        try {
            int now = mode;
            return now != UNCHECKED ? now : checkHere(); // a check that ended since mode() read it: its outcome stands
        } finally {
            finishCheck();
        }
    }

    private static int checkHere() {
        Verification.Virtual result = Verification.checkVirtualHere(Active.SLOT, Active.OUTCOME.offsets());
        if (result.status() != Diagnostics.VirtualThreadCheck.FAILED && Active.INTERNALS_EVERY_THREAD) {
            String failure = internalsHere();
            if (!failure.isEmpty()) {
                result = Verification.Virtual.failed("the JDK-internals path from a virtual thread: " + failure);
            } else if (result.status() == Diagnostics.VirtualThreadCheck.NOT_APPLICABLE) { // 21-23: this is the check
                result = new Verification.Virtual(Diagnostics.VirtualThreadCheck.PASSED,
                        "from a virtual thread the JDK-internals path gave its carrier's gettid and TLS-walk JavaThread");
            }
        }
        synchronized (VirtualPath.class) { // a few instructions, never a wait: no blocking point worth the name
            if (checked == null || result.status() == Diagnostics.VirtualThreadCheck.FAILED) {
                checked = result;
            }
            if (result.status() == Diagnostics.VirtualThreadCheck.FAILED) {
                mode = GETTID;
                internalsForAll = false;
            } else {
                if (mode == UNCHECKED) {
                    mode = JNI;
                }
                internalsForAll = Active.INTERNALS_EVERY_THREAD && mode != GETTID;
            }
        }
        if (result.status() == Diagnostics.VirtualThreadCheck.FAILED) {
            logElsewhere("the fast path's walk failed its check from a virtual thread (" + result.detail()
                    + "); virtual threads are served by the gettid syscall through JNI");
        } else {
            startFfm();
        }
        return mode;
    }

    /**
     * Counts a check out; the last of those running turns {@link Switches#INTERNALS} on where none failed
     * (each sets {@code internalsForAll} before it counts itself out, a failed one to false for good), and
     * {@link Switches#FFM} where the mode is FFM by now (else {@link #ffmReady()} will).
     * A check sets the mode before it counts itself out, and counts itself in before it reads the mode:
     * so one that starts once a switch is on sees the mode set and checks nothing, and a switch,
     * once on, never needs turning off.
     */
    private static void finishCheck() {
        if (checking.decrementAndGet() == 0) {
            if (internalsForAll) {
                Switches.INTERNALS.turnOn();
            }
            if (mode == FFM) {
                Switches.FFM.turnOn();
            }
        }
    }

    /**
     * Empty when, on this virtual thread, the JDK-internals path gives what the kernel (gettid) and
     * the TLS walk give for its carrier; else what differed. No blocking point in between: one carrier.
     */
    private static String internalsHere() {
        try {
            return JdkInternals.verifyHere(Active.OUTCOME.internals(), Active.OUTCOME.offsets(), Active.SLOT);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            return t.toString();
        }
    }

    /**
     * Starts setting the FFM downcalls up on a thread of their own, once (22+). Takes no lock
     * that could block: a virtual thread blocked here could come back on another carrier in
     * the middle of a call that promises the carrier of its moment.
     */
    static void startFfm() {
        if (!Active.FFM_POSSIBLE || ffmStarted) {
            return;
        }
        ffmStarted = true; // two racing callers may both start one: each sets the same handles up
        try {
            FreshThread.create(new FfmSetup(), "carrierid-ffm").start();
        } catch (Throwable t) {
            ffmStarted = false; // no thread now: a later call tries again
            FreshThread.rethrowIfThreadDeath(t);
        }
    }

    /**
     * The mode switch once FFM is ready; a failed check that happened meanwhile stays. {@link Switches#FFM}
     * on where no check is running (one that is could still fail): else the last to end turns it on
     * (finishCheck). Each side writes its own volatile before it reads the other's, so one of them sees both.
     * Turned on outside the lock: that deoptimises code, and a virtual thread's check may wait on the lock.
     */
    private static void ffmReady() {
        synchronized (VirtualPath.class) {
            if (mode == JNI) {
                mode = FFM;
            }
        }
        if (mode == FFM && checking.get() == 0) {
            Switches.FFM.turnOn();
        }
    }

    private static final class FfmSetup implements Runnable {
        @Override
        public void run() {
            try {
                // Set up and checked first, retried after an Error (no memory: the FFM API's classes are
                // touched only with room, Downcalls), then handed to ActiveFfm's initialiser, which makes
                // nothing. JNI serves meanwhile.
                long delay = 50;
                for (int tries = 0; stagedFfm == null; tries++) {
                    try {
                        Heap.requireHeadroom("set the FFM downcalls up");
                        Injected.error("ffm");
                        FfmFastPath.Handles handles = FfmFastPath.create(Active.SLOT, Active.OUTCOME.offsets());
                        CarrierKeys.stageFfm();
                        stagedFfm = handles;
                    } catch (VirtualMachineError e) {
                        if (tries == 100) {
                            return;
                        }
                        Thread.sleep(delay);
                        delay = Math.min(1_000, delay * 2);
                    }
                }
                boolean usable = ActiveFfm.OS_THREAD_ID != null;
                CarrierKeys.touchFfm();
                if (usable) {
                    ffmReady();
                } else {
                    Log.warning(ActiveFfm.HANDLES.problem() + "; JNI serves virtual threads");
                }
            } catch (Throwable t) {
                // JNI goes on serving virtual threads.
            }
        }
    }

    /**
     * The published report with what is known of virtual threads now: their check runs at the
     * first call from one, so the report says "not yet" until then, and its outcome after.
     */
    static Diagnostics report(Diagnostics published) {
        if (!published.fastPath() || !Threads.haveVirtualThreads()) {
            return published;
        }
        Verification.Virtual seen = checked;
        String virtual;
        java.util.List<String> warnings = published.warnings();
        if (seen == null) {
            virtual = "virtual threads: checked at the first call from one (none yet)";
        } else if (seen.status() == Diagnostics.VirtualThreadCheck.PASSED) {
            virtual = !seen.detail().isEmpty() ? seen.detail()
                    : "from a virtual thread the walk reads its threadId() in the carrier's _monitor_owner_id";
        } else if (seen.status() == Diagnostics.VirtualThreadCheck.FAILED) {
            virtual = "FAILED from a virtual thread: " + seen.detail() + " (virtual threads: gettid through JNI)";
            java.util.List<String> more = new java.util.ArrayList<>(warnings);
            more.add("virtual threads are served by the gettid syscall through JNI: the walk failed its check from one ("
                    + seen.detail() + ")");
            warnings = java.util.List.copyOf(more);
        } else {
            virtual = "virtual threads: the same walk, " + seen.detail();
        }
        Diagnostics.VirtualThreadCheck check = seen == null ? Diagnostics.VirtualThreadCheck.NOT_RUN : seen.status();
        return published.toBuilder()
                .verification(published.verificationStatus(), published.verification() + "; " + virtual)
                .virtualThreadCheck(check).warnings(warnings).build();
    }

    /**
     * Logs on a thread of its own, not on the caller's: the caller may be a logging hook holding
     * its appender's lock (see {@link Init}'s log). No thread to be had: not logged, still reported.
     */
    private static void logElsewhere(String warning) {
        try {
            FreshThread.create(new Runnable() {
                @Override
                public void run() {
                    Log.warning(warning);
                }
            }, "carrierid-log").start();
        } catch (Throwable t) {
            FreshThread.rethrowIfThreadDeath(t);
        }
    }
}
