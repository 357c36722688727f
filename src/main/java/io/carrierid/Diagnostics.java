package io.carrierid;

import java.util.List;

/**
 * What carrierid decided on this JVM, and why: the value behind
 * {@link Carrier#diagnostics()}. Fixed once carrierid has initialised; its
 * {@link #toString()} is a readable multi-line report and {@link #toJson()}
 * the same as JSON.
 *
 * @param path           the path that answers {@link Carrier#osThreadId()}
 * @param nativeCall     how Java calls the native fast path: {@code JNI}, or FFM critical
 *                       downcalls (JDK 22+); {@code -} off the fast path
 * @param fallbackReason why the native fast path is not active; empty when it is
 * @param vmName         {@code java.vm.name}
 * @param vmVendor       {@code java.vm.vendor}
 * @param javaVersion    {@code Runtime.version()}
 * @param os             the operating system and architecture, e.g. {@code Linux amd64}
 * @param libc           the C library, e.g. {@code glibc 2.36}
 * @param nativeLibrary  where libcarrierid was loaded from, or why it was not
 * @param nativeAccess   whether the JVM lets carrierid's module load libraries and make FFM
 *                       downcalls (JDK 22+), and the flag that enables it for the way it was loaded
 * @param offsetSource   where the field offsets came from
 * @param offsets        the offsets in use and how the sources compared, in words
 * @param tlsSlot        where the {@code JavaThread*} was found relative to the thread pointer
 *                       ({@code %fs:0x318}, {@code tpidr_el0-0x608}), how, and which fault-safe
 *                       read the probe used ({@code process_vm_readv}, or a pipe write where
 *                       that is refused); or why it was not found
 * @param verification   the self-check's outcome, in words
 * @param warnings       anything the caller should know (table disagreements, ignored settings)
 */
public record Diagnostics(Path path, String nativeCall, String fallbackReason, String vmName, String vmVendor, String javaVersion,
                          String os, String libc, String nativeLibrary, String nativeAccess, OffsetSource offsetSource,
                          String offsets,
                          String tlsSlot, String verification, List<String> warnings) {

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
            line(out, "why", fallbackReason);
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
                .add("fallbackReason", fallbackReason)
                .add("vmName", vmName)
                .add("vmVendor", vmVendor)
                .add("javaVersion", javaVersion)
                .add("os", os)
                .add("libc", libc)
                .add("nativeLibrary", nativeLibrary)
                .add("nativeAccess", nativeAccess)
                .add("offsetSource", offsetSource.name())
                .add("offsets", offsets)
                .add("tlsSlot", tlsSlot)
                .add("verification", verification)
                .addStrings("warnings", warnings)
                .toString();
    }
}
