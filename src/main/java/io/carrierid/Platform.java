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
 * @param musl      the C library is known to be musl (simulation only: on a real
 *                  host this is found when the glibc library fails to load)
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
        String osName = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        Os os = classify(osName);
        // java.io, not java.nio.file: the first use of NIO's file system costs milliseconds.
        Platform real = new Platform(os, osName, arch, false, os == Os.LINUX && new File("/proc/thread-self").exists(),
                os == Os.LINUX, false);
        String simulation = System.getProperty(PROPERTY);
        return simulation == null || simulation.isBlank() ? real : simulate(real, simulation);
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
        boolean musl = false;
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
        return musl ? "the bundled library is built for glibc; this process uses musl" : "";
    }

    /** "Linux amd64", "macOS aarch64 (simulated by -Dcarrierid.platform)". */
    String describe() {
        return os.display + " " + arch + (musl ? ", musl" : "") + (simulated ? " (simulated by -D" + PROPERTY + ")" : "");
    }
}
