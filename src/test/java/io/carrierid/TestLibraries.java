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

    /**
     * libcarrierid itself, from src/main, built with extra gcc arguments (a -D that another build
     * would have), for the architecture of the JVM running the tests.
     */
    static Path buildCarrierid(Path dir, String... extra) throws Exception {
        Path library = dir.resolve("libcarrierid-other.so");
        String arch = Platform.current().aarch64() ? "aarch64" : "x86_64";
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(compiler(), "-shared", "-fPIC", "-O2",
                "-std=gnu11", "-fvisibility=hidden", "-Itarget/nar/javah-include",
                "-I" + Paths.get(System.getProperty("java.home"), "include"),
                "-I" + Paths.get(System.getProperty("java.home"), "include", "linux"), "-o", library.toString()));
        command.addAll(java.util.List.of(extra));
        try (java.util.stream.Stream<Path> sources = java.nio.file.Files.list(Paths.get("src", "main", "c"))) {
            sources.filter(p -> p.toString().endsWith(".c")).forEach(p -> command.add(p.toString()));
        }
        command.add(Paths.get("src", "main", "asm", arch, "thread_pointer.S").toString());
        Process gcc = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(gcc.getInputStream().readAllBytes());
        if (gcc.waitFor() != 0) {
            throw new AssertionError("gcc failed: " + command + "\n" + output);
        }
        return library;
    }

    private static String compiler() {
        return Platform.current().aarch64() ? "aarch64-linux-gnu-gcc" : "gcc";
    }
}
