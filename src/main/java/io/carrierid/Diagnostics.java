package io.carrierid;

import java.util.List;
import java.util.Optional;

/**
 * What carrierid decided on this JVM, and why: the value behind
 * {@link Carrier#diagnostics()}. Fixed once carrierid has initialised (but for the
 * virtual-thread check, which the first call from a virtual thread completes); its
 * {@link #toString()} is a readable multi-line report and {@link #toJson()} the same as JSON.
 *
 * <p>Conditions a program may act on are enums ({@link #path()}, {@link #offsetSource()},
 * {@link #verificationStatus()}, {@link #virtualThreadCheck()}, {@link #access()}) and the
 * failure behind a fallback is kept whole ({@link #fallbackCause()}); the other accessors
 * are prose for people, whose wording may change. Instances are made by carrierid only, and
 * accessors may be added in later versions.
 */
public final class Diagnostics {
    private final Path path;
    private final String nativeCall;
    private final boolean jdkInternals;
    private final Fallback fallback;
    private final String fallbackReason;
    private final Throwable fallbackCause;
    private final String vmName;
    private final String vmVendor;
    private final String javaVersion;
    private final String os;
    private final String libc;
    private final String nativeLibrary;
    private final String nativeAccess;
    private final Access access;
    private final OffsetSource offsetSource;
    private final String offsets;
    private final String tlsSlot;
    private final String verification;
    private final Verification verificationStatus;
    private final VirtualThreadCheck virtualThreadCheck;
    private final List<String> warnings;

    private Diagnostics(Builder b) {
        path = b.path;
        nativeCall = b.nativeCall;
        jdkInternals = b.jdkInternals;
        fallback = b.fallback;
        fallbackReason = b.fallbackReason;
        fallbackCause = b.fallbackCause;
        vmName = b.vmName;
        vmVendor = b.vmVendor;
        javaVersion = b.javaVersion;
        os = b.os;
        libc = b.libc;
        nativeLibrary = b.nativeLibrary;
        nativeAccess = b.nativeAccess;
        access = b.access;
        offsetSource = b.offsetSource;
        offsets = b.offsets;
        tlsSlot = b.tlsSlot;
        verification = b.verification;
        verificationStatus = b.verificationStatus;
        virtualThreadCheck = b.virtualThreadCheck;
        warnings = List.copyOf(b.warnings);
    }

    /** The ways carrierid can answer. */
    public enum Path {
        /**
         * The verified walk from the thread pointer ({@code %fs}, {@code tpidr_el0}) in libcarrierid: through JNI on JDK 17-21 and for a
         * platform thread's first call, through FFM critical downcalls for virtual threads on 22+.
         */
        NATIVE,
        /** The {@code gettid} syscall through JNI (libcarrierid loaded, its fast path off), one syscall per call. */
        PORTABLE_JNI,
        /** glibc's {@code gettid()} through the FFM API (JDK 22+, no libcarrierid), one syscall per call. */
        PORTABLE_FFM,
        /** The kernel's {@code /proc/thread-self} link, one readlink per call (JDK 17-21, no libcarrierid). */
        PORTABLE_PROC,
        /**
         * No kernel tid to be had on this JVM: not Linux (macOS, Windows, others have no Linux
         * kernel tid, and carrierid returns no other OS's id in its place), or Linux with neither
         * libcarrierid, nor FFM (JDK 22+), nor a {@code /proc} of this process's PID namespace.
         * {@link Carrier#osThreadId()} then throws {@link UnsupportedOperationException};
         * {@link Carrier#osThreadIdAvailable()} says so in advance.
         */
        UNAVAILABLE
    }

    /** Why the native fast path is not the one that answers. */
    public enum Fallback {
        /** It is: the native fast path answers. */
        NONE,
        /** Not decided yet (a call during initialisation): answers are provisional, the same ids by a slower path. */
        INITIALISING,
        /** A portable path was asked for ({@code -Dcarrierid.path=portable} or {@code proc}). */
        REQUESTED,
        /**
         * This platform has no bundled library: not Linux, an architecture other than x86-64 and
         * aarch64, musl libc, or a jar built without this architecture's library.
         */
        PLATFORM,
        /**
         * The library could not be loaded here: no private directory to extract it to, a refused
         * {@code System.load} (SecurityManager, {@code noexec}), native access denied, or an unusable
         * {@code -Dcarrierid.library.path}; {@link #fallbackReason()} says which.
         */
        LIBRARY_NOT_LOADED,
        /** The loaded library is of another carrierid version than these classes (mixed jars, or {@code -Dcarrierid.library.path}). */
        LIBRARY_MISMATCH,
        /** Not HotSpot, or neither the offset table nor HotSpot's vmStructs describe this JVM's threads. */
        NO_OFFSETS,
        /** The thread pointer's slot in thread-local storage was not found, or cannot be read safely (see {@link #tlsSlot()}). */
        TLS_SLOT,
        /** The walk did not give a thread's own ids on every thread tried (see {@link #verification()}). */
        VERIFICATION_FAILED,
        /** Setup itself failed (an unexpected exception, kept in {@link #fallbackCause()}). */
        SETUP_FAILED
    }

    /** Where the fast path's field offsets came from. */
    public enum OffsetSource {
        /** The offset table's row for this JDK and HotSpot's vmStructs agree. */
        TABLE_AND_VMSTRUCTS_AGREE,
        /** They disagree; vmStructs is used and a warning was logged. */
        VMSTRUCTS_TABLE_DISAGREES,
        /** The table has no row for this JDK; vmStructs alone is used. */
        VMSTRUCTS_NO_TABLE_ROW,
        /** No vmStructs in this JVM; the table row alone is used (only if verification passes). */
        TABLE_ONLY,
        /** Neither source knows this JVM. */
        NONE,
        /** Offsets were not looked up (portable path forced, or no native library). */
        NOT_CONSULTED
    }

    /** How the self-check that gates the fast path went (on several threads, one HotSpot did not start). */
    public enum Verification {
        /** The walk gave every thread's eetop and gettid: the fast path is on. */
        PASSED,
        /** It did not, on some thread: a portable path serves; {@link #verification()} says where and how. */
        FAILED,
        /** Not run: the fast path was not possible or not asked for (see {@link #fallbackReason()}). */
        NOT_RUN
    }

    /**
     * How the check from a virtual thread went (JDK 21+; it runs at the first call from one once
     * initialisation is done: calls before that are answered by the portable means, unchecked by it).
     */
    public enum VirtualThreadCheck {
        /**
         * From a virtual thread the walk reached its carrier (read on 24+ through {@code _monitor_owner_id});
         * or, where {@link #jdkInternals()}, that path gave the carrier's own ids there (21+).
         */
        PASSED,
        /** It did not: virtual threads are answered by the {@code gettid} syscall; a warning says why. */
        FAILED,
        /** Nothing to check on this JDK (before 24: no {@code _monitor_owner_id}), or no virtual threads at all. */
        NOT_APPLICABLE,
        /** No virtual thread has called since initialisation was done (or the fast path is off). */
        NOT_RUN
    }

    /** What the JVM allows carrierid's module: loading libraries and FFM downcalls (JDK 22+). */
    public enum Access {
        /** The JDK restricts nothing (before 22). */
        NOT_RESTRICTED,
        /** Enabled for carrierid's module (or the unnamed module on the class path). */
        ENABLED,
        /** Not enabled: the JVM warns (24+) and still allows it; {@link #nativeAccess()} names the flag. */
        NOT_ENABLED,
        /** Denied ({@code --illegal-native-access=deny}): a portable path serves. */
        DENIED
    }

    /**
     * The path that answers {@link Carrier#osThreadId()}.
     *
     * @return the path
     */
    public Path path() {
        return path;
    }

    /**
     * How Java calls the native fast path ({@code JNI}, or FFM critical downcalls on JDK 22+), in words;
     * {@code -} off the fast path.
     *
     * @return the description
     */
    public String nativeCall() {
        return nativeCall;
    }

    /**
     * Whether the ids are read with no native call at all: reading the carrier's {@code eetop} and
     * two fields beyond it gave the kernel's and HotSpot's answers on several threads. Where the JVM
     * opens {@code java.lang} to carrierid ({@code --add-opens java.base/java.lang=...}),
     * {@link Carrier#osThreadId()}, {@link Carrier#javaThreadAddress()} and {@link Carrier#thread()}
     * then cost a few loads on every thread; without that, on JDK 17 to 22, {@code osThreadId()} and
     * {@code javaThreadAddress()} do on platform threads ({@link #nativeCall()} says which). The
     * answers are the same.
     *
     * @return true when that path serves (always with {@link Path#NATIVE})
     */
    public boolean jdkInternals() {
        return jdkInternals;
    }

    /**
     * Why the native fast path is not active; {@link Fallback#NONE} when it is.
     *
     * @return the condition
     */
    public Fallback fallback() {
        return fallback;
    }

    /**
     * Why the native fast path is not active, in words; empty when it is.
     *
     * @return the reason
     */
    public String fallbackReason() {
        return fallbackReason;
    }

    /**
     * The failure behind the fallback, with its stack trace, where one was thrown (the library
     * could not be copied or loaded, initialisation failed); empty where the fallback has no
     * exception behind it (a portable path asked for, a platform without the library, a check
     * that did not pass).
     *
     * @return the cause, if any
     */
    public Optional<Throwable> fallbackCause() {
        return Optional.ofNullable(fallbackCause);
    }

    /**
     * {@code java.vm.name}.
     *
     * @return the name, {@code ?} where it may not be read
     */
    public String vmName() {
        return vmName;
    }

    /**
     * {@code java.vm.vendor}.
     *
     * @return the vendor, {@code ?} where it may not be read
     */
    public String vmVendor() {
        return vmVendor;
    }

    /**
     * The JVM's version, as {@code java.runtime.version} gives it.
     *
     * @return the version
     */
    public String javaVersion() {
        return javaVersion;
    }

    /**
     * The operating system and architecture, e.g. {@code Linux amd64}.
     *
     * @return the description
     */
    public String os() {
        return os;
    }

    /**
     * The C library, e.g. {@code glibc 2.36}.
     *
     * @return the description
     */
    public String libc() {
        return libc;
    }

    /**
     * Where libcarrierid was loaded from, or why it was not, in words.
     *
     * @return the description
     */
    public String nativeLibrary() {
        return nativeLibrary;
    }

    /**
     * Whether the JVM lets carrierid's module load libraries and make FFM downcalls (JDK 22+),
     * and the flag that enables it for the way it was loaded, in words ({@link #access()}: the same as an enum).
     *
     * @return the description
     */
    public String nativeAccess() {
        return nativeAccess;
    }

    /**
     * What the JVM allows carrierid's module.
     *
     * @return the state
     */
    public Access access() {
        return access;
    }

    /**
     * Where the field offsets came from.
     *
     * @return the source
     */
    public OffsetSource offsetSource() {
        return offsetSource;
    }

    /**
     * The offsets in use and how the sources compared, in words.
     *
     * @return the description
     */
    public String offsets() {
        return offsets;
    }

    /**
     * Where the {@code JavaThread*} was found relative to the thread pointer ({@code %fs:0x318},
     * {@code tpidr_el0-0x608}), how, and which fault-safe read the probe used; or why it was not found.
     *
     * @return the description
     */
    public String tlsSlot() {
        return tlsSlot;
    }

    /**
     * The self-check's outcome, in words ({@link #verificationStatus()} and {@link #virtualThreadCheck()}:
     * the same as enums).
     *
     * @return the description
     */
    public String verification() {
        return verification;
    }

    /**
     * How the self-check that gates the fast path went.
     *
     * @return the outcome
     */
    public Verification verificationStatus() {
        return verificationStatus;
    }

    /**
     * How the check from a virtual thread went.
     *
     * @return the outcome
     */
    public VirtualThreadCheck virtualThreadCheck() {
        return virtualThreadCheck;
    }

    /**
     * Anything the caller should know (table disagreements, ignored settings, fallbacks), in words.
     *
     * @return the warnings, unmodifiable
     */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * Whether the native fast path answers.
     *
     * @return true when {@link Carrier#osThreadId()} is served by the native fast path
     */
    public boolean fastPath() {
        return path == Path.NATIVE;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        out.append("carrierid ").append(Version.get()).append('\n');
        line(out, "path", path + (fastPath() ? " (fast path active)" : " (fast path off)"));
        if (fastPath()) {
            line(out, "calls", nativeCall);
        }
        if (!fastPath()) {
            line(out, "why", fallback + ": " + fallbackReason);
        }
        line(out, "jvm", vmName + ", " + vmVendor + ", " + javaVersion);
        line(out, "os", os);
        line(out, "libc", libc);
        line(out, "library", nativeLibrary);
        line(out, "access", nativeAccess);
        line(out, "offsets", offsetSource + ": " + offsets);
        line(out, "tls slot", tlsSlot);
        line(out, "verified", verification);
        for (String warning : warnings) {
            line(out, "warning", warning);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String key, String value) {
        out.append(String.format("  %-9s %s%n", key + ":", value));
    }

    /**
     * The same facts as JSON.
     *
     * @return one JSON object, on one line
     */
    public String toJson() {
        return new Json.Object()
                .add("version", Version.get())
                .add("path", path.name())
                .add("fastPath", fastPath())
                .add("nativeCall", nativeCall)
                .add("jdkInternals", jdkInternals)
                .add("fallback", fallback.name())
                .add("fallbackReason", fallbackReason)
                .add("fallbackCause", fallbackCause == null ? "" : fallbackCause.toString())
                .add("vmName", vmName)
                .add("vmVendor", vmVendor)
                .add("javaVersion", javaVersion)
                .add("os", os)
                .add("libc", libc)
                .add("nativeLibrary", nativeLibrary)
                .add("nativeAccess", nativeAccess)
                .add("access", access.name())
                .add("offsetSource", offsetSource.name())
                .add("offsets", offsets)
                .add("tlsSlot", tlsSlot)
                .add("verification", verification)
                .add("verificationStatus", verificationStatus.name())
                .add("virtualThreadCheck", virtualThreadCheck.name())
                .addStrings("warnings", warnings)
                .toString();
    }

    static Builder builder() {
        return new Builder();
    }

    /** A copy to change (the virtual-thread part of a published report). */
    Builder toBuilder() {
        Builder b = new Builder();
        b.path = path;
        b.nativeCall = nativeCall;
        b.jdkInternals = jdkInternals;
        b.fallback = fallback;
        b.fallbackReason = fallbackReason;
        b.fallbackCause = fallbackCause;
        b.vmName = vmName;
        b.vmVendor = vmVendor;
        b.javaVersion = javaVersion;
        b.os = os;
        b.libc = libc;
        b.nativeLibrary = nativeLibrary;
        b.nativeAccess = nativeAccess;
        b.access = access;
        b.offsetSource = offsetSource;
        b.offsets = offsets;
        b.tlsSlot = tlsSlot;
        b.verification = verification;
        b.verificationStatus = verificationStatus;
        b.virtualThreadCheck = virtualThreadCheck;
        b.warnings = warnings;
        return b;
    }

    /** carrierid's own way to make one; fields not set keep the defaults below. */
    static final class Builder {
        Path path = Path.UNAVAILABLE;
        String nativeCall = "-";
        boolean jdkInternals;
        Fallback fallback = Fallback.NONE;
        String fallbackReason = "";
        Throwable fallbackCause;
        String vmName = "?";
        String vmVendor = "?";
        String javaVersion = "?";
        String os = "?";
        String libc = "?";
        String nativeLibrary = "?";
        String nativeAccess = "?";
        Access access = Access.NOT_RESTRICTED;
        OffsetSource offsetSource = OffsetSource.NOT_CONSULTED;
        String offsets = "not consulted";
        String tlsSlot = "not probed";
        String verification = "not run";
        Verification verificationStatus = Verification.NOT_RUN;
        VirtualThreadCheck virtualThreadCheck = VirtualThreadCheck.NOT_RUN;
        List<String> warnings = List.of();

        private Builder() {}

        Builder path(Path value) { path = value; return this; }
        Builder nativeCall(String value) { nativeCall = value; return this; }
        Builder jdkInternals(boolean value) { jdkInternals = value; return this; }
        Builder fallback(Fallback kind, String reason, Throwable cause) {
            fallback = kind;
            fallbackReason = reason;
            fallbackCause = cause;
            return this;
        }
        Builder jvm(String name, String vendor, String version) { vmName = name; vmVendor = vendor; javaVersion = version; return this; }
        Builder os(String value) { os = value; return this; }
        Builder libc(String value) { libc = value; return this; }
        Builder nativeLibrary(String value) { nativeLibrary = value; return this; }
        Builder nativeAccess(String words, Access state) { nativeAccess = words; access = state; return this; }
        Builder offsets(OffsetSource source, String words) { offsetSource = source; offsets = words; return this; }
        Builder tlsSlot(String value) { tlsSlot = value; return this; }
        Builder verification(Verification status, String words) { verificationStatus = status; verification = words; return this; }
        Builder virtualThreadCheck(VirtualThreadCheck value) { virtualThreadCheck = value; return this; }
        Builder warnings(List<String> value) { warnings = value; return this; }

        Diagnostics build() {
            return new Diagnostics(this);
        }
    }
}
