package io.carrierid;

import java.io.File;
import java.util.Locale;

/**
 * The facts about the operating system that decide which paths can exist here:
 * which OS and architecture, whether the C library is musl, whether
 * {@code /proc/thread-self} and the {@code gettid} symbol exist. The one seam
 * through which tests play another OS: {@code -Dcarrierid.platform=os=mac,arch=aarch64}
 * (keys {@code os} = linux|mac|windows|other, {@code arch}, {@code libc} =
 * glibc|musl, {@code proc} and {@code gettid} = yes|no); a simulated platform is
 * always reported in {@link Diagnostics#warnings()}.
 *
 * @param os        which OS
 * @param osName    {@code os.name} as the JVM gives it (or as simulated)
 * @param arch      {@code os.arch}
 * @param musl      the C library is musl (the program's ELF interpreter is ld-musl's: {@link Libc})
 * @param proc      {@code /proc/thread-self} exists
 * @param gettid    the C library may have {@code gettid()} (Linux only)
 * @param simulated the facts came from {@code -Dcarrierid.platform}
 */
record Platform(Os os, String osName, String arch, boolean musl, boolean proc, boolean gettid, boolean simulated) {
    static final String PROPERTY = "carrierid.platform";

    /** The operating systems carrierid tells apart. */
    enum Os {
        LINUX("Linux"), MAC("macOS"), WINDOWS("Windows"), OTHER("this OS");

        final String display;

        Os(String display) {
            this.display = display;
        }
    }

    /** The facts of this process, or the simulated ones. */
    static Platform current() {
        boolean threadSelf = threadSelf();
        // os.name unreadable (a SecurityManager's policy): a resolvable /proc/thread-self is Linux's.
        String osName = Property.get("os.name", threadSelf ? "Linux" : "");
        String arch = Property.get("os.arch", "").toLowerCase(Locale.ROOT);
        Os os = classify(osName);
        Platform real = new Platform(os, osName, arch, os == Os.LINUX && Libc.isMuslProcess(), os == Os.LINUX && threadSelf,
                os == Os.LINUX, false);
        String simulation = Property.get(PROPERTY, null);
        return simulation == null || simulation.isBlank() ? real : simulate(real, simulation);
    }

    /**
     * Whether /proc/thread-self resolves to {@code /proc/<pid>/task/<tid>}: java.io, not
     * java.nio.file (NIO's first use costs milliseconds), and canonicalisation, which no
     * SecurityManager checks (File.exists would need a read permission).
     */
    private static boolean threadSelf() {
        try {
            String path = new File("/proc/thread-self").getCanonicalPath();
            return path.startsWith("/proc/") && path.contains("/task/");
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    static Os classify(String osName) {
        String name = osName.toLowerCase(Locale.ROOT);
        if (name.equals("linux")) {
            return Os.LINUX;
        }
        if (name.startsWith("mac") || name.startsWith("darwin")) {
            return Os.MAC;
        }
        return name.startsWith("windows") ? Os.WINDOWS : Os.OTHER;
    }

    private static Platform simulate(Platform real, String spec) {
        Os os = real.os;
        String osName = real.osName;
        String arch = real.arch;
        boolean musl = real.musl;
        Boolean proc = null;
        Boolean gettid = null;
        for (String part : spec.split(",")) {
            String[] kv = part.split("=", 2);
            String key = kv[0].strip();
            String value = kv.length > 1 ? kv[1].strip().toLowerCase(Locale.ROOT) : "";
            switch (key) {
                case "os":
                    os = value.equals("linux") ? Os.LINUX : value.equals("mac") ? Os.MAC
                            : value.equals("windows") ? Os.WINDOWS : Os.OTHER;
                    osName = os == Os.LINUX ? "Linux" : os == Os.MAC ? "Mac OS X" : os == Os.WINDOWS ? "Windows 11" : value;
                    break;
                case "arch": arch = value; break;
                case "libc": musl = value.equals("musl"); break;
                case "proc": proc = value.equals("yes"); break;
                case "gettid": gettid = value.equals("yes"); break;
                default: break;
            }
        }
        boolean linux = os == Os.LINUX;
        return new Platform(os, osName, arch, musl, proc != null ? proc && linux : linux && real.proc,
                gettid != null ? gettid && linux : linux, true);
    }

    boolean x86_64() {
        return arch.equals("amd64") || arch.equals("x86_64");
    }

    boolean aarch64() {
        return arch.equals("aarch64") || arch.equals("arm64");
    }

    /** The architecture as the bundled libraries and the offset table name it: x86_64, aarch64, or os.arch. */
    String archName() {
        return x86_64() ? "x86_64" : aarch64() ? "aarch64" : arch;
    }

    /** The register that holds the thread pointer: "%fs" (x86-64), "tpidr_el0" (aarch64). */
    String threadPointerName() {
        return aarch64() ? "tpidr_el0" : "%fs";
    }

    /** A slot as one writes it on this architecture: "%fs:0x30", "tpidr_el0-0x628". */
    String describeSlot(long offset) {
        if (x86_64() && offset >= 0) {
            return "%fs:" + Offsets.hex(offset);
        }
        return threadPointerName() + (offset < 0 ? "-" + Offsets.hex(-offset) : "+" + Offsets.hex(offset));
    }

    /** Why the bundled library does not fit here, or empty when it may. */
    String libraryProblem() {
        if (os != Os.LINUX) {
            return "no bundled library for " + os.display + " (os.name=" + osName + "): carrierid's native side is Linux's";
        }
        if (!x86_64() && !aarch64()) {
            return "no bundled library for os.arch=" + arch + " (carrierid bundles linux-x86_64 and linux-aarch64)";
        }
        return musl ? "musl libc: the bundled library is built for glibc, and is not loaded into a musl process" : "";
    }

    /** "Linux amd64", "macOS aarch64 (simulated by -Dcarrierid.platform)". */
    String describe() {
        return os.display + " " + arch + (musl ? ", musl" : "") + (simulated ? " (simulated by -D" + PROPERTY + ")" : "");
    }
}
