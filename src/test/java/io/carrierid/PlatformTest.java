package io.carrierid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: every row of the platform table (README, Carrier's Javadoc) as what
 * the public API does, each in a child JVM. Other OSes are played through the
 * one seam, {@code -Dcarrierid.platform}; this suite runs on JDK 17 (the 17-21
 * column) and 25 (the 22+ column).
 */
class PlatformTest {
    static final boolean FFM = Runtime.version().feature() >= 22;

    /** PlatformProbe in a child JVM on the platform {@code platform} plays (empty: this one). */
    private static ChildJvm.Result row(String platform) throws Exception {
        List<String> arguments = new java.util.ArrayList<>();
        if (!platform.isEmpty()) {
            arguments.add("-D" + Platform.PROPERTY + "=" + platform);
        }
        arguments.addAll(List.of("-cp", System.getProperty("carrierid.test.classpath"), PlatformProbe.class.getName()));
        ChildJvm.Result r = ChildJvm.run(arguments);
        assertEquals(0, r.exit(), r::toString);
        return r;
    }

    private static void has(ChildJvm.Result r, String line) {
        assertTrue(r.stdout().lines().anyMatch(l -> l.startsWith(line)), () -> "no line '" + line + "' in\n" + r);
    }

    @Test
    void linuxGlibc() throws Exception {
        ChildJvm.Result r = row("");
        has(r, "API osThreadIdAvailable true");
        has(r, "API osThreadId right");
        has(r, "API javaThreadAddress eetop");
        has(r, "API osThreadIdOf(other) true");
        has(r, "API CarrierLocal one value");
        has(r, "API diagnostics NATIVE");
    }

    @Test
    void linuxMusl() throws Exception {
        ChildJvm.Result r = row("libc=musl");
        has(r, "API osThreadIdAvailable true");
        has(r, "API osThreadId right");
        has(r, "API javaThreadAddress zero");
        has(r, "API thread current");
        has(r, "API osThreadIdOf(other) threw UnsupportedOperationException");
        has(r, "API CarrierLocal one value");
        has(r, "API diagnostics " + (FFM ? "PORTABLE_FFM" : "PORTABLE_PROC"));
        assertEquals("PLATFORM", r.field("fallback"), r::toString);
        assertTrue(r.field("fallbackReason").contains("musl"), r::toString);
        if (Truth.hasVirtualThreads()) {
            has(r, "API thread(virtual) carrier"); // by reflection: the tests open java.lang
        }
    }

    /** Linux on an architecture carrierid bundles no library for: the portable path, same ids. */
    @Test
    void linuxOnAnotherArchitecture() throws Exception {
        ChildJvm.Result r = row("arch=riscv64");
        has(r, "API osThreadIdAvailable true");
        has(r, "API osThreadId right");
        has(r, "API javaThreadAddress zero");
        has(r, "API osThreadIdOf(other) threw UnsupportedOperationException");
        has(r, "API CarrierLocal one value");
        has(r, "API diagnostics " + (FFM ? "PORTABLE_FFM" : "PORTABLE_PROC"));
        assertEquals("PLATFORM", r.field("fallback"), r::toString);
        assertTrue(r.field("fallbackReason").contains("riscv64"), r::toString);
    }

    @Test
    void linuxWithoutLibraryOrProc() throws Exception {
        ChildJvm.Result r = row("libc=musl,proc=no");
        if (FFM) {
            has(r, "API osThreadId right");
            has(r, "API diagnostics PORTABLE_FFM");
        } else {
            has(r, "API osThreadIdAvailable false");
            has(r, "API osThreadId threw UnsupportedOperationException: carrierid: no kernel thread id on this JVM");
            has(r, "API diagnostics UNAVAILABLE");
        }
    }

    private static void notLinux(String platform, String display) throws Exception {
        ChildJvm.Result r = row(platform);
        has(r, "API osThreadIdAvailable false");
        has(r, "API osThreadId threw UnsupportedOperationException: carrierid: no kernel thread id on this JVM ("
                + display);
        assertTrue(r.stdout().contains("Thread.currentThread().threadId()"), r::toString);
        has(r, "API javaThreadAddress zero");
        has(r, "API thread current");
        has(r, "API osThreadIdOf(self) threw UnsupportedOperationException");
        has(r, "API osThreadIdOf(other) threw UnsupportedOperationException");
        has(r, "API CarrierLocal one value");
        has(r, "API cpuTimeNanos ThreadMXBean's"); // issue 22: the platform table's row, off Linux too
        has(r, "API cpuTimeNanosOf(other) true");
        has(r, "API index stable");
        has(r, "API diagnostics UNAVAILABLE");
        assertEquals("PLATFORM", r.field("fallback"), r::toString);
        assertTrue(r.field("os").startsWith(display), r::toString);
        assertTrue(r.diagnosticsJson().contains("platform facts simulated"), r::toString);
        if (Truth.hasVirtualThreads()) {
            has(r, "API thread(virtual) carrier");
        }
    }

    @Test
    void macOs() throws Exception {
        notLinux("os=mac,arch=aarch64", "macOS");
    }

    @Test
    void windows() throws Exception {
        notLinux("os=windows,arch=amd64", "Windows");
    }

    @Test
    void otherOs() throws Exception {
        notLinux("os=freebsd,arch=amd64", "this OS");
    }

    /** Issue 19: musl is told from the program's ELF interpreter, before the glibc library is ever loaded. */
    @Test
    void muslIsToldFromTheProgramsInterpreter(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path launcher = java.nio.file.Paths.get(System.getProperty("java.home"), "bin", "java");
        assertFalse(Libc.asksForMusl(launcher.toString()), "this JDK's launcher asks for glibc's loader");
        assertFalse(Libc.isMuslProcess(), "this process is glibc's");
        // An ELF header's worth of bytes, then PT_INTERP's string as an Alpine-built launcher has it.
        byte[] head = new byte[600];
        byte[] interp = "/lib/ld-musl-x86_64.so.1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(interp, 0, head, 0x238, interp.length);
        java.nio.file.Path musl = java.nio.file.Files.write(dir.resolve("java"), head);
        assertTrue(Libc.asksForMusl(musl.toString()));
        assertFalse(Libc.asksForMusl(dir.resolve("missing").toString()), "unreadable: not musl");
    }
}
