package io.carrierid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each configuration in a child JVM of its own: the path chosen, the reason
 * recorded, the JVM alive, and every id still right.
 */
class FallbackTest {
    static final int FEATURE = Runtime.version().feature();
    static final String ARCH = Platform.current().archName();
    /** This JVM's real offsets, from its own vmStructs (not from the table under test). */
    static final Offsets REAL = realOffsets();

    private static Offsets realOffsets() {
        Carrier.diagnostics(); // loads the library
        VmStructs.Reading vm = VmStructs.read();
        if (vm.offsets() == null) {
            throw new IllegalStateException("this JVM exports no vmStructs: " + vm.detail());
        }
        return vm.offsets();
    }
    static final String PORTABLE = FEATURE >= 22 ? "PORTABLE_FFM" : "PORTABLE_PROC";

    @TempDir
    Path dir;

    /** Issue 21: the exception behind a fallback is kept whole (fallbackCause), and named in the JSON. */
    @Test
    void theCauseOfAFallbackIsKept() throws Exception {
        ChildJvm.Result r = ChildJvm.probe(List.of("-Dcarrierid.library.path=/"));
        r.assertAllRight();
        assertTrue(r.field("fallbackCause").startsWith("java.io.FileNotFoundException: /"), r::toString);
        assertEquals("NOT_RUN", r.field("verificationStatus"), r::toString);
    }

    /** Issue 21: a libcarrierid of another build (another interface version) is refused, with both versions named. */
    @Test
    void aLibraryOfAnotherBuildIsRefused(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assumeTrue(System.getProperty("java.home") != null && java.nio.file.Files.isDirectory(
                Path.of(System.getProperty("java.home"), "include")), "needs the JDK's JNI headers");
        Path other = TestLibraries.buildCarrierid(dir, "-DCARRIERID_INTERFACE_VERSION=999");
        ChildJvm.Result r = ChildJvm.probe(List.of("-Dcarrierid.library.path=" + other));
        r.assertAllRight();
        assertTrue(r.field("path").startsWith("PORTABLE_"), r::toString);
        assertEquals("LIBRARY_MISMATCH", r.field("fallback"), r::toString);
        // The reason names both versions (issue 21): the one fact a user needs to mend it.
        assertTrue(r.field("fallbackReason").contains("999") && r.field("fallbackReason").contains(
                "version " + Native.INTERFACE_VERSION), r::toString);
    }

    @Test
    void defaultConfigurationUsesTheFastPath() throws Exception {
        ChildJvm.Result r = ChildJvm.probe(List.of());
        r.assertAllRight();
        assertEquals("NATIVE", r.field("path"), r::toString);
        assertEquals("NONE", r.field("fallback"), r::toString);
        assertEquals("TABLE_AND_VMSTRUCTS_AGREE", r.field("offsetSource"), r::toString);
    }

    @Test
    void portablePathOnRequest() throws Exception {
        ChildJvm.Result r = ChildJvm.probe(List.of("-Dcarrierid.path=portable"));
        r.assertAllRight();
        assertEquals("PORTABLE_JNI", r.field("path"), r::toString);
        assertEquals("REQUESTED", r.field("fallback"), r::toString);
    }

    @Test
    void procPathOnRequest() throws Exception {
        ChildJvm.Result r = ChildJvm.probe(List.of("-Dcarrierid.path=proc"));
        r.assertAllRight();
        assertEquals("PORTABLE_PROC", r.field("path"), r::toString);
    }

    @Test
    void unknownPathValueIsReportedAndIgnored() throws Exception {
        ChildJvm.Result r = ChildJvm.probe(List.of("-Dcarrierid.path=turbo\"x"));
        r.assertAllRight();
        assertEquals("NATIVE", r.field("path"), r::toString);
        assertTrue(r.diagnosticsJson().contains("unknown -Dcarrierid.path=turbo"), r::toString);
    }

    /** A wrong row is outvoted by vmStructs: the fast path stays on, and the disagreement is reported and logged. */
    @Test
    void corruptedRowIsOverruledByVmStructsAndReported() throws Exception {
        Path table = ChildJvm.table(dir, row(REAL.osThread() + 8, REAL.threadId(), REAL.monitorOwnerId()));
        ChildJvm.Result r = ChildJvm.probe(List.of("-Dcarrierid.offsets=" + table));
        r.assertAllRight();
        assertEquals("NATIVE", r.field("path"), r::toString);
        assertEquals("VMSTRUCTS_TABLE_DISAGREES", r.field("offsetSource"), r::toString);
        String expected = "JavaThread::_osthread " + Offsets.hex(REAL.osThread() + 8) + " vs " + Offsets.hex(REAL.osThread());
        assertTrue(r.diagnosticsJson().contains(expected), r::toString);
        assertTrue(r.stderr().contains("WARNING") && r.stderr().contains(expected), "one System.Logger warning: " + r);
    }

    /** A table row for this JDK: the real offsets with the given ones replaced. */
    static String row(long osThread, long threadId, long monitorOwnerId) {
        return FEATURE + " " + ARCH + " " + Offsets.hex(osThread) + " " + Offsets.hex(threadId) + " " + Offsets.cell(monitorOwnerId) + "\n";
    }

    static Stream<Arguments> corruptions() {
        return Stream.of(
                Arguments.of("osthread+8", REAL.osThread() + 8, REAL.threadId(), REAL.monitorOwnerId()),
                Arguments.of("osthread-8", REAL.osThread() - 8, REAL.threadId(), REAL.monitorOwnerId()),
                Arguments.of("thread_id+4", REAL.osThread(), REAL.threadId() + 4, REAL.monitorOwnerId()),
                Arguments.of("osthread far away", 0x7ffffff00000L, REAL.threadId(), REAL.monitorOwnerId()),
                Arguments.of("thread_id far away", REAL.osThread(), 0x40000000L, REAL.monitorOwnerId()),
                Arguments.of("both zero", 0L, 0L, REAL.monitorOwnerId()));
    }

    /**
     * A wrong _monitor_owner_id passes the platform threads' checks (they do not read it); the first call
     * from a virtual thread checks the walk from there, catches it, and virtual threads get the gettid
     * syscall's answers from then on, with a report and a logged warning saying why.
     */
    @Test
    void wrongMonitorOwnerIdIsCaughtAtTheFirstCallFromAVirtualThread() throws Exception {
        assumeTrue(REAL.hasMonitorOwnerId() && Runtime.version().feature() >= 21, "no _monitor_owner_id on this JDK");
        Path table = ChildJvm.table(dir, row(REAL.osThread(), REAL.threadId(), REAL.monitorOwnerId() + 8));
        ChildJvm.Result r = ChildJvm.probe(List.of("-Dcarrierid.offsets=" + table, "-Dcarrierid.vmstructs=ignore"));
        r.assertAllRight(); // virtual threads' ids included: the kernel's, through gettid
        assertEquals("NATIVE", r.field("path"), r::toString);
        assertEquals("FAILED", r.field("virtualThreadCheck"), r::toString);
        assertTrue(r.diagnosticsJson().contains("virtual threads are served by the gettid syscall"), r::toString);
        assertTrue(r.stderr().contains("WARNING") && r.stderr().contains("failed its check from a virtual thread"),
                "one System.Logger warning: " + r);
    }

    /** With vmStructs out of the way the corrupted row is all there is: verification must catch it. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptions")
    void corruptedRowAloneFailsVerificationAndFallsBack(String name, long osThread, long threadId, long monitorOwnerId)
            throws Exception {
        Path table = ChildJvm.table(dir, row(osThread, threadId, monitorOwnerId));
        ChildJvm.Result r = ChildJvm.probe(List.of("-Dcarrierid.offsets=" + table, "-Dcarrierid.vmstructs=ignore"));
        r.assertAllRight();
        assertEquals("PORTABLE_JNI", r.field("path"), r::toString);
        assertEquals("TABLE_ONLY", r.field("offsetSource"), r::toString);
        assertTrue(r.field("fallbackReason").startsWith("verification failed"), r::toString);
        assertEquals("FAILED", r.field("verificationStatus"), r::toString);
    }

    @Test
    void rightRowAloneIsUsedAfterVerification() throws Exception {
        Path table = ChildJvm.table(dir, row(REAL.osThread(), REAL.threadId(), REAL.monitorOwnerId()));
        ChildJvm.Result r = ChildJvm.probe(List.of("-Dcarrierid.offsets=" + table, "-Dcarrierid.vmstructs=ignore"));
        r.assertAllRight();
        assertEquals("NATIVE", r.field("path"), r::toString);
        assertEquals("TABLE_ONLY", r.field("offsetSource"), r::toString);
    }

    @Test
    void noRowForThisJdkIsServedByVmStructs() throws Exception {
        Path table = ChildJvm.table(dir, (FEATURE + 100) + " " + ARCH + " 0x10 0x10 -\n");
        ChildJvm.Result r = ChildJvm.probe(List.of("-Dcarrierid.offsets=" + table));
        r.assertAllRight();
        assertEquals("NATIVE", r.field("path"), r::toString);
        assertEquals("VMSTRUCTS_NO_TABLE_ROW", r.field("offsetSource"), r::toString);
    }

    @Test
    void noRowAndNoVmStructsFallsBack() throws Exception {
        Path table = ChildJvm.table(dir, "");
        ChildJvm.Result r = ChildJvm.probe(List.of("-Dcarrierid.offsets=" + table, "-Dcarrierid.vmstructs=ignore"));
        r.assertAllRight();
        assertEquals("PORTABLE_JNI", r.field("path"), r::toString);
        assertEquals("NONE", r.field("offsetSource"), r::toString);
        assertTrue(r.field("fallbackReason").startsWith("no field offsets"), r::toString);
    }

    @Test
    void tlsSlotNotFoundFallsBack() throws Exception {
        ChildJvm.Result r = ChildJvm.probe(List.of("-Dcarrierid.tlsprobe=fail"));
        r.assertAllRight();
        assertEquals("PORTABLE_JNI", r.field("path"), r::toString);
        assertTrue(r.field("fallbackReason").startsWith("TLS slot not found"), r::toString);
    }

    @Test
    void unreadableTableFileFallsBackWithTheReason() throws Exception {
        ChildJvm.Result r = ChildJvm.probe(List.of("-Dcarrierid.offsets=" + dir.resolve("missing.txt")));
        r.assertAllRight();
        assertEquals("PORTABLE_JNI", r.field("path"), r::toString);
        assertEquals("NO_OFFSETS", r.field("fallback"), r::toString);
    }

    @Test
    void missingLibraryFallsBackWithTheReason() throws Exception {
        ChildJvm.Result r = ChildJvm.probe(List.of("-Dcarrierid.library.path=" + dir.resolve("libnothing.so")));
        r.assertAllRight();
        assertEquals(PORTABLE, r.field("path"), r::toString);
        assertEquals("NOT_CONSULTED", r.field("offsetSource"), r::toString);
        assertTrue(r.field("fallbackReason").startsWith("native library not loaded"), r::toString);
    }

    @Test
    void libraryFromAnExplicitPath() throws Exception {
        Path library = Path.of(System.getProperty("carrierid.test.classpath").split(java.io.File.pathSeparator)[0],
                "io", "carrierid", NativeLibrary.resource(Platform.current()));
        ChildJvm.Result r = ChildJvm.probe(List.of("-Dcarrierid.library.path=" + library));
        r.assertAllRight();
        assertEquals("NATIVE", r.field("path"), r::toString);
        assertTrue(r.field("nativeLibrary").startsWith("carrierid.library.path="), r::toString);
    }

    @Test
    void sixtyFourThreadsRacingOnTheFirstCall() throws Exception {
        ChildJvm.Result r = ChildJvm.probe(List.of(), "race");
        r.assertAllRight();
        assertEquals("NATIVE", r.field("path"), r::toString);
    }

    /**
     * Every carrier busy while carrierid initialises: initialisation needs none (the virtual-thread
     * check runs at the first call from a virtual thread, on it), so no wait and no hang; the check
     * then runs, and passes, once virtual threads call.
     */
    @Test
    void initialisationWithNoFreeCarrier() throws Exception {
        ChildJvm.Result r = ChildJvm.probe(List.of("-Djdk.virtualThreadScheduler.parallelism=1",
                "-Djdk.virtualThreadScheduler.maxPoolSize=1"), "busy-carrier");
        r.assertAllRight();
        assertEquals("NATIVE", r.field("path"), r::toString);
        if (REAL.hasMonitorOwnerId()) {
            assertEquals("PASSED", r.field("virtualThreadCheck"), r::toString);
        }
    }

    @Test
    void firstCallFromAVirtualThread() throws Exception {
        ChildJvm.Result r = ChildJvm.probe(List.of(), "first-virtual");
        r.assertAllRight();
        assertEquals("NATIVE", r.field("path"), r::toString);
        if (REAL.hasMonitorOwnerId()) { // the virtual-thread check ran, and passed
            assertEquals("PASSED", r.field("virtualThreadCheck"), r::toString);
        }
    }

    /**
     * A program that never runs a virtual thread never starts the JDK's virtual-thread scheduler
     * (a ForkJoinPool, created by VirtualThread's initialiser) on carrierid's account: neither
     * initialisation nor any call from platform threads initialises VirtualThread.
     */
    @Test
    void noVirtualThreadNoScheduler() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+");
        ChildJvm.Result r = ChildJvm.probe(List.of("-Xlog:class+load=info:stdout"), "platform-only");
        r.assertAllRight();
        assertEquals("NATIVE", r.field("path"), r::toString);
        assertTrue(r.stdout().contains("io.carrierid.Setup "), "class loading is logged: " + r);
        // VirtualThread's initialiser makes its scheduler with lambdas (JDK 21-25): their classes are the trace
        // (ForkJoinPool's own class may be loaded without that, by reflection on VirtualThread's fields).
        assertFalse(r.stdout().contains("java.lang.VirtualThread$$Lambda"),
                "VirtualThread was initialised (its scheduler made): " + r);
        assertEquals("NOT_RUN", r.field("virtualThreadCheck"), r::toString);
    }
}
