package io.carrierid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A child JVM of the same java as the test's, running {@link ChildProbe} or any main class. */
final class ChildJvm {
    /** The java of the test's own JVM, or the launcher a fetched JDK needs (carrierid.test.java). */
    static final Path JAVA = System.getProperty("carrierid.test.java") != null
            ? Paths.get(System.getProperty("carrierid.test.java"))
            : Paths.get(System.getProperty("java.home"), "bin", "java");

    /** What the child did; {@code stdout}/{@code stderr} whole. */
    record Result(int exit, String stdout, String stderr) {
        String diagnosticsJson() {
            return stdout.lines().filter(l -> l.startsWith("DIAGNOSTICS ")).findFirst()
                    .map(l -> l.substring("DIAGNOSTICS ".length())).orElseThrow(() -> new AssertionError(this));
        }

        /** A boolean member of the diagnostics JSON. */
        boolean flag(String name) {
            Matcher m = Pattern.compile("\"" + name + "\":(true|false)").matcher(diagnosticsJson());
            if (!m.find()) {
                throw new AssertionError("no " + name + " in " + this);
            }
            return Boolean.parseBoolean(m.group(1));
        }

        /** A string member of the diagnostics JSON. */
        String field(String name) {
            Matcher m = Pattern.compile("\"" + name + "\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(diagnosticsJson());
            if (!m.find()) {
                throw new AssertionError("no " + name + " in " + this);
            }
            return m.group(1);
        }

        /** Asserts a clean exit and that every checked id was right; returns how many were checked. */
        long assertAllRight() {
            assertEquals(0, exit, this::toString);
            Matcher m = Pattern.compile("CHECKED (\\d+) WRONG (\\d+)").matcher(stdout);
            assertTrue(m.find(), this::toString);
            assertEquals("0", m.group(2), this::toString);
            long checked = Long.parseLong(m.group(1));
            assertTrue(checked >= 800, this::toString);
            return checked;
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private ChildJvm() {}

    static Result probe(List<String> jvmOptions, String... args) throws Exception {
        List<String> command = new ArrayList<>(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("carrierid.test.classpath"));
        command.add(ChildProbe.class.getName());
        command.addAll(List.of(args));
        return run(command);
    }

    /** Runs {@code java <standard options> <arguments>}; 120 s at most. */
    static Result run(List<String> arguments) throws Exception {
        return run(List.of(), java.util.Map.of(), arguments);
    }

    /** An environment key (not passed on) that leaves out the standard options: a JVM run as a user would. */
    static final String NO_STANDARD_OPTIONS = "CARRIERID_TEST_NO_STANDARD_OPTIONS";

    /** {@link ChildProbe} under a command prefix (unshare, setpriv, ...) and extra environment. */
    static Result probe(List<String> prefix, java.util.Map<String, String> environment, List<String> jvmOptions,
                        String... args) throws Exception {
        List<String> arguments = new ArrayList<>(jvmOptions);
        arguments.add("-cp");
        arguments.add(System.getProperty("carrierid.test.classpath"));
        arguments.add(ChildProbe.class.getName());
        arguments.addAll(List.of(args));
        return run(prefix, environment, arguments);
    }

    /** Runs {@code <prefix> java <standard options> <arguments>} with extra environment; 120 s at most. */
    static Result run(List<String> prefix, java.util.Map<String, String> environment, List<String> arguments)
            throws Exception {
        List<String> command = new ArrayList<>(prefix);
        command.add(JAVA.toString());
        if (!environment.containsKey(NO_STANDARD_OPTIONS)) {
            command.add("--enable-native-access=ALL-UNNAMED");
            command.add("--add-opens=java.base/java.lang=ALL-UNNAMED");
            // The tests open java.lang (for their own reflective truths): keep carrierid's default paths
            // under test; JdkInternalsTest turns the no-native-call path on with -Dcarrierid.internals=auto.
            command.add("-D" + JdkInternals.PROPERTY + "=off");
        }
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        builder.environment().remove(NO_STANDARD_OPTIONS);
        return finish(builder.start(), command);
    }

    private static Result finish(Process process, List<String> command) throws Exception {
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child JVM timed out: " + command);
        }
        return new Result(process.exitValue(), out.get(), err.get());
    }

    /** Runs a command that is not {@code java} (a program embedding the JVM, say); 120 s at most. */
    static Result exec(List<String> command, java.util.Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        return finish(builder.start(), command);
    }

    /** A table file with the given rows, in a temporary folder that the test deletes. */
    static Path table(Path dir, String rows) throws IOException {
        return Files.writeString(dir.resolve("offsets.txt"), "# test table\n" + rows);
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
