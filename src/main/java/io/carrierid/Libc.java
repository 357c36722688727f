package io.carrierid;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Which C library this process runs on, told without needing the native library. */
final class Libc {
    private Libc() {}

    /** True when the dynamic loader mapped into this process is musl's. */
    static boolean isMusl() {
        return isMusl(maps());
    }

    /**
     * True when this process's program asks for musl's dynamic loader: its ELF interpreter
     * ({@code PT_INTERP}, in the first page of /proc/self/exe) names {@code ld-musl-}. One small
     * read, before the glibc-built library is ever loaded; false where it cannot be read.
     */
    static boolean isMuslProcess() {
        return asksForMusl("/proc/self/exe");
    }

    /** Whether the first 4 KiB of the program at {@code path} (its ELF interpreter) name musl's loader. */
    static boolean asksForMusl(String path) {
        try (java.io.FileInputStream in = new java.io.FileInputStream(path)) {
            return new String(in.readNBytes(4096), StandardCharsets.ISO_8859_1).contains("/ld-musl-");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean isMusl(String maps) {
        return maps.contains("ld-musl-");
    }

    /** A short description: "glibc 2.36", "musl", or what is known. */
    static String describe(boolean nativeLoaded) {
        if (nativeLoaded) {
            try {
                return "glibc " + Native.libcVersion(); // the library links against glibc only
            } catch (UnsatisfiedLinkError e) {
                return "unknown (" + e.getMessage() + ")";
            }
        }
        String maps = maps();
        if (isMusl(maps)) {
            return "musl";
        }
        return maps.contains("libc.so.6") ? "glibc (version unknown without the native library)" : "unknown";
    }

    private static String maps() {
        // java.io, not java.nio.file: nothing here may be a JDK class's first use (see Heap).
        try (java.io.FileInputStream in = new java.io.FileInputStream("/proc/self/maps")) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
