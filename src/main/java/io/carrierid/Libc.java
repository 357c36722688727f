package io.carrierid;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

/** Which C library this process runs on, told without needing the native library. */
final class Libc {
    private Libc() {}

    /** True when the dynamic loader mapped into this process is musl's. */
    static boolean isMusl() {
        return isMusl(maps());
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
        try {
            return new String(Files.readAllBytes(Paths.get("/proc/self/maps")), StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
