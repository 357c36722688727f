package io.carrierid;

import java.nio.file.Path;
import java.nio.file.Paths;

/** Builds a test-only C helper of src/test/c into a shared library with the machine's gcc. */
final class TestLibraries {
    private TestLibraries() {}

    static Path build(String name, Path dir) throws Exception {
        Path source = Paths.get("src", "test", "c", name + ".c").toAbsolutePath();
        Path library = dir.resolve("lib" + name + ".so");
        Process gcc = new ProcessBuilder("gcc", "-shared", "-fPIC", "-O2", "-Wall", "-Wextra", "-Werror",
                source.toString(), "-o", library.toString(), "-lpthread").redirectErrorStream(true).start();
        String output = new String(gcc.getInputStream().readAllBytes());
        if (gcc.waitFor() != 0) {
            throw new AssertionError("gcc failed for " + source + ":\n" + output);
        }
        return library;
    }
}
