package io.carrierid;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.security.PrivilegedAction;

/**
 * Decides which path answers: loads the library, chooses the offsets (table
 * and vmStructs), finds the TLS slot, verifies, and records why. Runs on
 * carrierid-init ({@link Init}), a fresh platform thread. Every failure ends on
 * a portable path with its reason; nothing here throws. A failure for want of a
 * resource (an {@code Error}: memory, threads, stack) or a thread that gave no
 * answer in time is marked {@code retry}, and {@link Init} tries again later.
 */
final class Setup implements PrivilegedAction<Setup.Outcome> {
    static final String PATH_PROPERTY = "carrierid.path";

    /**
     * The outcome. The slot and offsets are meaningful only when {@code diagnostics.fastPath()};
     * {@code retry}: a transient failure, not to be kept; {@code toLog}: warnings to log once published.
     */
    record Outcome(Diagnostics diagnostics, long slot, Offsets offsets, boolean nativeLoaded, boolean retry,
                   List<String> toLog, Facts facts, JdkInternals.Handles internals) {
        /** When even building a report failed: the provisional one. */
        static Outcome bare(Throwable t, boolean retry, boolean nativeLoaded) {
            String reason = "carrierid setup failed: " + t;
            return new Outcome(Provisional.diagnostics(reason).toBuilder()
                    .fallback(Diagnostics.Fallback.SETUP_FAILED, reason, t).build(), -1, null,
                    nativeLoaded, retry, List.of(), Facts.NONE, null);
        }
    }

    /**
     * What the decision was made from, as values (for {@code --dump}, {@link OffsetDump}); each is
     * null where setup did not get that far. {@code row}: the table row for this JVM, if any.
     */
    record Facts(String arch, OffsetTable.Row row, VmStructs.Reading vmStructs, OffsetChoice choice,
                 Verification.Result verified, Timeline timeline) {
        static final Facts NONE = new Facts("?", null, null, null, null, new Timeline());
    }

    /** Told as soon as libcarrierid is loaded or known not to be, before the rest of the decision. */
    interface Progress {
        void libraryIs(boolean loaded);
    }

    private final List<String> warnings = new ArrayList<>();
    private final List<String> toLog = new ArrayList<>();
    private boolean procRequested;
    private boolean portableRequested;
    private NativeLibrary.Loaded library = NativeLibrary.Loaded.failed("none", "not loaded");
    private Diagnostics.OffsetSource offsetSource = Diagnostics.OffsetSource.NOT_CONSULTED;
    private String offsets = "not consulted";
    private String tlsSlot = "not probed";
    private String verification = "not run";
    private String call = "-";
    private Platform platform; // platform(): read once, also where decide() failed before it
    private OffsetTable.Row row;
    private VmStructs.Reading vmStructs;
    private OffsetChoice choice;
    private Verification.Result verified;

    private final Timeline timeline;
    private final Progress progress;

    private Setup(Timeline timeline, Progress progress) {
        this.timeline = timeline;
        this.progress = progress;
    }

    /**
     * Decides; {@code timeline} started when a caller asked, and gets a mark at the end of each step;
     * {@code progress} hears of the library's fate as soon as it is known.
     */
    static Outcome run(Timeline timeline, Progress progress) {
        Setup setup = new Setup(timeline, progress);
        try {
            return Privileged.run(setup);
        } catch (Throwable t) {
            // Never let anything out. Short of a resource, or stopped: try again later.
            // Anything else (a bug, a refused permission): a definitive portable path with the reason.
            boolean transientFailure = t instanceof VirtualMachineError || t instanceof FreshThread.NoAnswer
                    || t.getClass().getName().equals("java.lang.ThreadDeath");
            if (transientFailure) {
                return Outcome.bare(t, true, setup.library.ok()); // discarded anyway: touch nothing more now (no FFM set-up, say)
            }
            try {
                return setup.portable(Diagnostics.Fallback.SETUP_FAILED, "carrierid setup failed: " + t, t);
            } catch (Throwable again) {
                return Outcome.bare(t, again instanceof VirtualMachineError, setup.library.ok());
            }
        }
    }

    /** Setup's work, run through {@link Privileged} so that a JDK 17 SecurityManager checks carrierid's own permissions. */
    @Override
    public Outcome run() {
        return decide();
    }

    private Outcome decide() {
        Injected.error("setup");
        String requested = Property.get(PATH_PROPERTY, "auto").strip().toLowerCase(Locale.ROOT);
        if (!requested.equals("auto") && !requested.equals("portable") && !requested.equals("proc")) {
            warnings.add("unknown -D" + PATH_PROPERTY + "=" + requested + " treated as 'auto' (known: auto, portable, proc)");
            requested = "auto";
        }
        if (platform().simulated()) {
            warnings.add("platform facts simulated (-D" + Platform.PROPERTY + "): " + platform().describe());
        }
        procRequested = requested.equals("proc");
        portableRequested = !requested.equals("auto");
        String procProblem = procRequested ? ProcThreadSelf.problem() : "";
        if (!procProblem.isEmpty()) {
            warnings.add("-D" + PATH_PROPERTY + "=proc not honoured: " + procProblem);
            procRequested = false;
        }
        timeline.mark("platform facts");
        library = NativeLibrary.loadOnce(platform());
        progress.libraryIs(library.ok()); // callers of osThreadId() may answer through it from now on
        timeline.mark("native library: extract and System.load");
        if (!requested.equals("auto")) {
            return portable(Diagnostics.Fallback.REQUESTED, "the portable path was requested (-D" + PATH_PROPERTY + "=" + requested + ")");
        }
        if (!library.ok()) {
            return portable(library.kind(), "native library not loaded: " + library.failure(), library.cause());
        }

        Optional<OffsetTable.Row> found;
        try {
            found = isHotSpot() ? OffsetTable.load().rowFor(platform().archName(), Runtime.version()) : Optional.empty();
        } catch (UncheckedIOException e) { // -Dcarrierid.offsets names a file that cannot be read
            return portable(Diagnostics.Fallback.NO_OFFSETS, "no field offsets for this JVM: " + e.getMessage(), e);
        }
        row = found.orElse(null);
        timeline.mark("offset table");
        vmStructs = VmStructs.read();
        timeline.mark("vmStructs");
        choice = OffsetChoice.of(found, vmStructs);
        offsetSource = choice.source();
        offsets = choice.detail();
        if (!choice.warning().isEmpty()) {
            warnings.add(choice.warning());
            toLog.add(choice.warning()); // logged once the decision is published (Init), not from here
        }
        if (choice.offsets() == null) {
            return portable(Diagnostics.Fallback.NO_OFFSETS, "no field offsets for this JVM: " + choice.detail());
        }

        TlsProbe.Result slot = TlsProbe.probeHere(platform()); // carrierid-init is a platform thread
        tlsSlot = slot.describe(platform());
        timeline.mark("TLS probe");
        if (!slot.found()) {
            return portable(Diagnostics.Fallback.TLS_SLOT, "TLS slot " + tlsSlot);
        }

        verified = Verification.run(slot.offset(), choice.offsets());
        timeline.mark("verification on " + verified.threads() + " threads");
        if (!verified.passed()) {
            verification = "FAILED after " + verified.threads() + " thread(s) passed: " + verified.failure();
            return portable(Diagnostics.Fallback.VERIFICATION_FAILED, "verification failed " + verified.failure());
        }
        verification = "passed on " + verified.threads() + " threads, a JNI-attached thread among them ("
                + platform().threadPointerName()
                + " slot = eetop, walked tid = gettid)";
        JdkInternals.Handles internals = internals(slot.offset(), choice.offsets());
        timeline.mark("JDK internals");
        call = internalsCall(internals)
                + (Downcalls.available()
                ? "gettid and eetop through JNI for a platform thread's first call (then cached); FFM critical"
                        + " downcalls for virtual threads,"
                        + " checked against JNI when first used (JNI if that check fails)"
                : Threads.haveVirtualThreads()
                        ? "JNI for virtual threads; gettid and eetop for a platform thread's first call (then cached)"
                        : "JNI: gettid and eetop at a thread's first call (then cached)");
        return new Outcome(report(Diagnostics.Path.NATIVE, Diagnostics.Fallback.NONE, "", null)
                .jdkInternals(internals != null).build(), slot.offset(), choice.offsets(), true, false,
                toLog, facts(), internals);
    }

    /** What the JDK-internals path serves, for the report's calls line ("" where it does not serve). */
    private static String internalsCall(JdkInternals.Handles internals) {
        if (internals == null) {
            return "";
        }
        if (internals.everyThread()) {
            String carrier = internals.mountedCarrier() != null
                    ? "the current thread or a virtual thread's carrierThread field"
                    : Threads.haveVirtualThreads() ? "Thread.currentCarrierThread()" : "the current thread";
            return "osThreadId(), javaThreadAddress() and thread() with no native call, and index() and"
                    + " CarrierLocal.get() after a carrier's first use (java.lang is open to carrierid: "
                    + carrier + ", its eetop, two loads through " + internals.memory()
                    + "; verified on 3 threads, and from a virtual thread before serving one); the rest: ";
        }
        return "osThreadId() and javaThreadAddress() of platform threads with no native call (the current thread's"
                + " eetop, two loads through " + internals.memory() + "; verified on 3 threads); the rest: ";
    }

    /**
     * The JDK-internals path ({@link JdkInternals}), made and verified, where the JVM opens java.lang
     * to carrierid or (platform threads only) runs JDK 17 to 22; else null (not wanted, or no
     * sun.misc.Unsafe to be had: nothing said; failed: a warning). An Error is rethrown: a transient
     * failure like any other.
     */
    private JdkInternals.Handles internals(long slot, Offsets offsets) {
        if (!JdkInternals.unwanted().isEmpty()) {
            return null;
        }
        JdkInternals.Handles made;
        try {
            made = JdkInternals.open();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            if (JdkInternals.javaLangOpen()) {
                warnings.add("java.lang is open to carrierid, but its no-native-call path is not used: " + t);
            } // else quietly: no sun.misc.Unsafe to be had (a jlink image without jdk.unsupported, a SecurityManager)
            return null;
        }
        String failure;
        try {
            failure = Verification.internals(made, slot, offsets);
            String threadLocals = failure.isEmpty() ? JdkInternals.threadLocalsHere(made) : "";
            if (!threadLocals.isEmpty()) {
                warnings.add("CarrierLocal keeps no cache in carriers' maps: " + threadLocals);
                made = made.withThreadLocals(null, null);
            }
        } catch (VirtualMachineError | FreshThread.NoAnswer e) {
            throw e;
        } catch (Throwable t) {
            failure = t.toString();
        }
        if (!failure.isEmpty()) {
            warnings.add((made.everyThread() ? "java.lang is open to carrierid, but its" : "the")
                    + " no-native-call path is not used: " + failure);
            return null;
        }
        return made;
    }

    private Platform platform() {
        if (platform == null) {
            platform = Platform.current();
        }
        return platform;
    }

    /** HotSpot is the only VM the offset table describes. */
    private static boolean isHotSpot() {
        String name = Property.get("java.vm.name", "");
        return name.contains("HotSpot") || name.startsWith("OpenJDK");
    }

    /**
     * A fallback nobody asked for is logged once (Init logs it after publishing): the reason,
     * and the setting that changes it.
     */
    private void logFallback(Diagnostics.Path path, String reason) {
        if (portableRequested || platform().os() != Platform.Os.LINUX) {
            return; // asked for, or the platform table's answer off Linux: nothing to warn about
        }
        String fix = !library.ok() && library.failure().contains(NativeLibrary.TMPDIR_PROPERTY)
                ? "give carrierid a writable directory with -D" + NativeLibrary.TMPDIR_PROPERTY + "=<dir>"
                : "-D" + PATH_PROPERTY + "=portable chooses this path and silences this warning";
        toLog.add("fast path off, answering on the " + path + " path (right, slower): " + reason + "; " + fix
                + "; see Carrier.diagnostics()");
    }

    private Outcome portable(Diagnostics.Fallback kind, String reason) {
        return portable(kind, reason, null);
    }

    /** A portable path, with the reason and the exception behind it, if any. */
    private Outcome portable(Diagnostics.Fallback kind, String reason, Throwable cause) {
        if (!library.ok()) {
            warnings.add("CarrierLocal keeps one value per thread here, one per virtual thread included, not one per"
                    + " carrier, and CarrierPool one shared pool (idlePerCarrier x available processors), not one per"
                    + " carrier: both need libcarrierid to key carriers");
        }
        // Portable.path only chooses /proc where it names this process's own threads.
        Diagnostics.Path path = procRequested ? Diagnostics.Path.PORTABLE_PROC : Portable.path(library.ok(), platform());
        if (path == Diagnostics.Path.PORTABLE_PROC && !procRequested) {
            String ffm = Portable.ffmProblem();
            if (Runtime.version().feature() >= 22 && !ffm.isEmpty()) {
                warnings.add("FFM gettid unavailable: " + ffm);
            }
        }
        if (path == Diagnostics.Path.UNAVAILABLE && platform().os() == Platform.Os.LINUX) {
            String proc = platform().proc() ? ProcThreadSelf.problem() : "/proc/thread-self cannot be resolved";
            reason += "; nor /proc: " + proc;
        }
        logFallback(path, reason);
        return new Outcome(report(path, kind, reason, cause).build(), -1, null, library.ok(), false, toLog, facts(), null);
    }

    private Facts facts() {
        return new Facts(platform().archName(), row, vmStructs, choice, verified, timeline);
    }

    /** The report of what was decided, to be built (the fast path adds whether JDK internals serve). */
    private Diagnostics.Builder report(Diagnostics.Path path, Diagnostics.Fallback kind, String reason, Throwable cause) {
        String where = library.ok() ? library.source() : library.source() + ": " + library.failure();
        Diagnostics.Verification status = verified == null ? Diagnostics.Verification.NOT_RUN
                : verified.passed() ? Diagnostics.Verification.PASSED : Diagnostics.Verification.FAILED;
        return Diagnostics.builder().path(path).nativeCall(call).fallback(kind, reason, cause)
                .jvm(Property.get("java.vm.name", "?"), Property.get("java.vm.vendor", "?"), JvmVersion.text())
                .os(platform().describe())
                .libc(platform().os() != Platform.Os.LINUX ? "-" : Libc.describe(library.ok()))
                .nativeLibrary(where).nativeAccess(NativeAccess.describe(), NativeAccess.state())
                .offsets(offsetSource, offsets).tlsSlot(tlsSlot).verification(status, verification)
                .virtualThreadCheck(Threads.haveVirtualThreads() ? Diagnostics.VirtualThreadCheck.NOT_RUN
                        : Diagnostics.VirtualThreadCheck.NOT_APPLICABLE)
                .warnings(List.copyOf(warnings));
    }
}
