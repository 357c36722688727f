package io.carrierid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built jar as a user runs it ({@code java -jar carrierid.jar}): the
 * self-report, and the loader extracting the library from inside the jar.
 * Runs after {@code package} (failsafe), on both JDKs.
 */
class CliIT {
    static final String JAR = System.getProperty("carrierid.test.jar");
    static final Pattern SAMPLE = Pattern.compile(
            "\\{\"kind\":\"(platform|virtual)\",\"name\":\"[^\"]*\",\"osThreadId\":(\\d+),\"kernelTid\":(\\d+),\"match\":(true|false)");

    @TempDir
    Path tmp;

    private ChildJvm.Result runJar(String... args) throws Exception {
        return ChildJvm.run(Stream.concat(Stream.of("-Djava.io.tmpdir=" + tmp, "-jar", JAR), Stream.of(args)).toList());
    }

    @Test
    void jsonReportIdsMatchProcAndTheLibraryCameFromTheJar() throws Exception {
        ChildJvm.Result r = runJar("--json");
        assertEquals(0, r.exit(), r::toString);
        String json = r.stdout().strip();
        assertTrue(json.contains("\"path\":\"NATIVE\""), json);
        assertTrue(json.contains("\"allMatch\":true"), json);
        assertTrue(json.contains("loaded from a private copy, since deleted"), json);
        Matcher m = SAMPLE.matcher(json);
        int samples = 0;
        int virtual = 0;
        while (m.find()) {
            samples++;
            virtual += m.group(1).equals("virtual") ? 1 : 0;
            assertEquals(m.group(2), m.group(3), json);
            assertEquals("true", m.group(4), json);
        }
        assertEquals(1 + Main.PLATFORM_THREADS + (Truth.hasVirtualThreads() ? Main.VIRTUAL_THREADS : 0), samples, json);
        assertEquals(Truth.hasVirtualThreads() ? Main.VIRTUAL_THREADS : 0, virtual, json);
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(), left.toList(), "the extracted library and its folder are deleted");
        }
    }

    @Test
    void textReport() throws Exception {
        ChildJvm.Result r = runJar();
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.stdout().contains("path:     NATIVE (fast path active)"), r::toString);
        assertTrue(r.stdout().contains("all ids match the kernel's"), r::toString);
        assertTrue(r.stderr().isEmpty(), r::toString);
    }

    @Test
    void badArgumentIsAUsageError() throws Exception {
        ChildJvm.Result r = runJar("--bogus");
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.stderr().contains("unknown argument --bogus"), r::toString);
        assertTrue(r.stderr().contains("[--json | --dump | --help]"), r::toString);
        ChildJvm.Result both = runJar("--json", "--dump");
        assertEquals(2, both.exit(), both::toString);
        assertTrue(both.stderr().contains("--json and --dump are two different outputs"), both::toString);
    }

    /** Where /proc is the answering path, the report checks it against the gettid syscall instead. */
    @Test
    void theProcPathIsCheckedAgainstGettid() throws Exception {
        ChildJvm.Result r = ChildJvm.run(List.of("-Djava.io.tmpdir=" + tmp, "-Dcarrierid.path=proc", "-jar", JAR, "--json"));
        assertEquals(0, r.exit(), r::toString);
        String json = r.stdout().strip();
        assertTrue(json.contains("\"path\":\"PORTABLE_PROC\""), json);
        assertTrue(json.contains("\"truth\":\"the gettid syscall\""), json);
        Matcher m = SAMPLE.matcher(json);
        int samples = 0;
        while (m.find()) {
            samples++;
            assertEquals(m.group(2), m.group(3), json);
        }
        assertTrue(samples > Main.PLATFORM_THREADS, json);
    }

    @Test
    void unusableTempDirectoryFallsBackToThePortablePath() throws Exception {
        ChildJvm.Result r = ChildJvm.run(List.of("-Djava.io.tmpdir=" + tmp.resolve("does-not-exist"), "-jar", JAR, "--json"));
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.stdout().contains("\"fastPath\":false"), r::toString);
        assertTrue(r.stdout().contains("could not copy the library into a private directory under java.io.tmpdir"),
                r::toString);
        assertTrue(r.stdout().contains("choose another with -Dcarrierid.tmpdir"), r::toString);
        assertTrue(r.stdout().contains("\"allMatch\":true"), r::toString);
    }

    /**
     * Issue 23, as a user runs the jar: with java.lang open the ids are read with no native call
     * (every id checked against /proc/thread-self); without the flag, on JDK 17 to 22, platform
     * threads' are too (through sun.misc.Unsafe), and from 23 on nothing changes; either way
     * nothing about it is printed.
     */
    @Test
    void jdkInternalsWhereJavaLangIsOpenAndOnPlatformThreadsBefore23() throws Exception {
        java.util.Map<String, String> bare = java.util.Map.of(ChildJvm.NO_STANDARD_OPTIONS, "");
        ChildJvm.Result open = ChildJvm.run(List.of(), bare,
                List.of("--add-opens=java.base/java.lang=ALL-UNNAMED", "-jar", JAR, "--json"));
        assertEquals(0, open.exit(), open::toString);
        assertTrue(open.stdout().contains("\"jdkInternals\":true"), open::toString);
        String carrier = Truth.hasVirtualThreads() ? "the current thread or a virtual thread's carrierThread field"
                : "the current thread";
        assertTrue(open.stdout().contains(carrier + ", its eetop"), open::toString);
        assertTrue(open.stdout().contains("\"allMatch\":true"), open::toString);
        ChildJvm.Result closed = ChildJvm.run(List.of(), bare, List.of("-jar", JAR, "--json"));
        assertEquals(0, closed.exit(), closed::toString);
        boolean quietUnsafe = Runtime.version().feature() <= 22;
        assertTrue(closed.stdout().contains("\"jdkInternals\":" + quietUnsafe), closed::toString);
        assertEquals(quietUnsafe, closed.stdout().contains("of platform threads with no native call"), closed::toString);
        assertTrue(closed.stdout().contains("\"allMatch\":true"), closed::toString);
        assertTrue(closed.stdout().contains("\"warnings\":[]"), closed::toString);
        assertFalse(closed.stderr().contains("carrierid"), closed::toString);
        ChildJvm.Result off = ChildJvm.run(List.of(), bare, List.of("-Dcarrierid.internals=off", "-jar", JAR, "--json"));
        assertTrue(off.stdout().contains("\"jdkInternals\":false"), off::toString);
        assertTrue(off.stdout().contains("\"allMatch\":true"), off::toString);
    }

    /** JDK 22+: the report says whether native access was enabled before carrierid's first restricted call. */
    @Test
    void nativeAccessIsReportedAsTheJvmHadIt() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.version().feature() >= 22, "no native access rules before 22");
        java.util.Map<String, String> bare = java.util.Map.of(ChildJvm.NO_STANDARD_OPTIONS, "");
        ChildJvm.Result without = ChildJvm.run(List.of(), bare, List.of("-cp", JAR, "io.carrierid.Main", "--json"));
        assertEquals(0, without.exit(), without::toString);
        assertTrue(without.stdout().contains("\"access\":\"NOT_ENABLED\""), without::toString);
        assertTrue(without.stdout().contains("--enable-native-access=ALL-UNNAMED"), without::toString); // the flag, named
        ChildJvm.Result manifest = ChildJvm.run(List.of(), bare, List.of("-jar", JAR, "--json"));
        assertTrue(manifest.stdout().contains("\"access\":\"ENABLED\""), manifest::toString);
        ChildJvm.Result module = ChildJvm.run(List.of(), bare, List.of("--module-path", JAR,
                "--enable-native-access=io.carrierid", "-m", "io.carrierid/io.carrierid.Main", "--json"));
        assertTrue(module.stdout().contains("\"access\":\"ENABLED\""), module::toString);
    }

    @Test
    void carrieridTmpdirChoosesWhereTheLibraryGoes() throws Exception {
        Path mine = Files.createDirectory(tmp.resolve("mine"));
        ChildJvm.Result r = ChildJvm.run(List.of("-Djava.io.tmpdir=" + tmp.resolve("does-not-exist"),
                "-Dcarrierid.tmpdir=" + mine, "-jar", JAR, "--json"));
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.stdout().contains("\"path\":\"NATIVE\""), r::toString);
        try (Stream<Path> left = Files.list(mine)) {
            assertEquals(List.of(), left.toList(), "the private copy and its folder are deleted");
        }
    }
}
