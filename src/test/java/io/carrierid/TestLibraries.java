package io.carrierid;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Builds a test-only C helper of src/test/c into a shared library for the JVM running the
 * tests: with the machine's gcc, or the aarch64 cross compiler on an arm64 JVM (under qemu-user).
 */
final class TestLibraries {
    private TestLibraries() {}

    static Path build(String name, Path dir) throws Exception {
        Path source = Paths.get("src", "test", "c", name + ".c").toAbsolutePath();
        Path library = dir.resolve("lib" + name + ".so");
        Process gcc = new ProcessBuilder(compiler(), "-shared", "-fPIC", "-O2", "-Wall", "-Wextra", "-Werror",
                source.toString(), "-o", library.toString(), "-lpthread").redirectErrorStream(true).start();
        String output = new String(gcc.getInputStream().readAllBytes());
        if (gcc.waitFor() != 0) {
            throw new AssertionError("gcc failed for " + source + ":\n" + output);
        }
        return library;
    }

    /**
     * src/test/c/embed_launcher.c as a program linked against the libjvm of {@code javaHome}
     * (x86-64 hosts only: under qemu-user the test JVM's launcher is a script).
     */
    static Path buildLauncher(Path javaHome, Path dir) throws Exception {
        Path source = Paths.get("src", "test", "c", "embed_launcher.c").toAbsolutePath();
        Path program = dir.resolve("embed_launcher");
        Path server = javaHome.resolve("lib").resolve("server");
        Process gcc = new ProcessBuilder(compiler(), "-O2", "-Wall", "-Wextra", "-Werror",
                "-I" + javaHome.resolve("include"), "-I" + javaHome.resolve("include").resolve("linux"),
                source.toString(), "-o", program.toString(), "-L" + server, "-ljvm", "-Wl,-rpath," + server,
                "-lpthread").redirectErrorStream(true).start();
        String output = new String(gcc.getInputStream().readAllBytes());
        if (gcc.waitFor() != 0) {
            throw new AssertionError("gcc failed for " + source + ":\n" + output);
        }
        return program;
    }

    private static String compiler() {
        return Platform.current().aarch64() ? "aarch64-linux-gnu-gcc" : "gcc";
    }
}
