package io.carrierid;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides, once per JVM, which path answers: loads the library, chooses the
 * offsets (table and vmStructs), finds the TLS slot, verifies, and records why.
 * Every failure ends on the portable path with its reason; nothing here throws.
 */
final class Setup {
    static final String PATH_PROPERTY = "carrierid.path";

    /** The outcome. The slot and offsets are meaningful only when {@code diagnostics.fastPath()}. */
    record Outcome(Diagnostics diagnostics, long slot, Offsets offsets, boolean nativeLoaded) {}

    private final List<String> warnings = new ArrayList<>();
    private boolean procRequested;
    private NativeLibrary.Loaded library = NativeLibrary.Loaded.failed("none", "not loaded");
    private Diagnostics.OffsetSource offsetSource = Diagnostics.OffsetSource.NOT_CONSULTED;
    private String offsets = "not consulted";
    private String tlsSlot = "not probed";
    private String verification = "not run";
    private String call = "-";

    private Setup() {}

    static Outcome run() {
        try {
            return new Setup().decide();
        } catch (RuntimeException | LinkageError e) {
            // Defensive: a bug here must cost speed, not the caller's thread.
            return new Setup().portable("carrierid setup failed: " + e);
        }
    }

    private Outcome decide() {
        String requested = System.getProperty(PATH_PROPERTY, "auto").strip().toLowerCase(Locale.ROOT);
        if (!requested.equals("auto") && !requested.equals("portable") && !requested.equals("proc")) {
            warnings.add("unknown -D" + PATH_PROPERTY + "=" + requested + " treated as 'auto' (known: auto, portable, proc)");
            requested = "auto";
        }
        procRequested = requested.equals("proc");
        library = NativeLibrary.load();
        if (!requested.equals("auto")) {
            return portable("the portable path was requested (-D" + PATH_PROPERTY + "=" + requested + ")");
        }
        if (!library.ok()) {
            return portable("native library not loaded: " + library.failure());
        }

        Optional<OffsetTable.Row> row = isHotSpot()
                ? OffsetTable.load().rowFor(Runtime.version())
                : Optional.empty();
        OffsetChoice choice = OffsetChoice.of(row, VmStructs.read());
        offsetSource = choice.source();
        offsets = choice.detail();
        if (!choice.warning().isEmpty()) {
            warnings.add(choice.warning());
            System.getLogger("io.carrierid").log(System.Logger.Level.WARNING, "carrierid: " + choice.warning());
        }
        if (choice.offsets() == null) {
            return portable("no field offsets for this JVM: " + choice.detail());
        }

        TlsProbe.Result slot = Verification.hasJavaThread()
                ? TlsProbe.probeHere()
                : Verification.onFreshThread("carrierid-probe", new Verification.Task<TlsProbe.Result>() {
                    @Override
                    TlsProbe.Result call() {
                        return TlsProbe.probeHere();
                    }
                });
        tlsSlot = slot.describe();
        if (!slot.found()) {
            return portable("TLS slot " + tlsSlot);
        }

        Verification.Result verified = Verification.run(slot.offset(), choice.offsets());
        if (!verified.passed()) {
            verification = "FAILED after " + verified.threads() + " thread(s) passed: " + verified.failure();
            return portable("verification failed " + verified.failure());
        }
        verification = "passed on " + verified.threads() + " threads (%fs slot = eetop, walked tid = gettid)";
        String virtual = Verification.runVirtual(slot.offset(), choice.offsets());
        if (virtual.startsWith("FAILED")) {
            String failure = virtual.substring("FAILED: ".length());
            verification = "FAILED on a virtual thread (after " + verified.threads() + " platform threads passed): "
                    + failure;
            return portable("verification failed on a virtual thread: " + failure);
        }
        verification = verification + (virtual.isEmpty()
                ? "; from a virtual thread the walk reads its threadId() in the carrier's _monitor_owner_id"
                : "; virtual thread check " + virtual);
        call = Downcalls.available()
                ? "JNI for a platform thread's first call (then cached); FFM critical downcalls for virtual threads,"
                        + " checked against JNI when first used (JNI if that check fails)"
                : "JNI (a platform thread's ids are cached after its first call)";
        return new Outcome(diagnostics(Diagnostics.Path.NATIVE, ""), slot.offset(), choice.offsets(), true);
    }

    /** HotSpot is the only VM the offset table describes. */
    private static boolean isHotSpot() {
        String name = System.getProperty("java.vm.name", "");
        return name.contains("HotSpot") || name.startsWith("OpenJDK");
    }

    private Outcome portable(String reason) {
        Diagnostics.Path path = procRequested ? Diagnostics.Path.PORTABLE_PROC : Portable.path();
        if (!procRequested && path == Diagnostics.Path.PORTABLE_PROC && Runtime.version().feature() >= 22) {
            warnings.add("FFM gettid unavailable: " + Portable.ffmProblem());
        }
        return new Outcome(diagnostics(path, reason), -1, null, library.ok());
    }

    private Diagnostics diagnostics(Diagnostics.Path path, String reason) {
        String where = library.ok() ? library.source() : library.source() + ": " + library.failure();
        return new Diagnostics(path, call, reason,
                System.getProperty("java.vm.name", "?"), System.getProperty("java.vm.vendor", "?"),
                Runtime.version().toString(), Libc.describe(library.ok()), where,
                offsetSource, offsets, tlsSlot, verification, warnings);
    }
}
