package io.carrierid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9: the first call made where hosts make it (deep stacks, a full heap, a
 * thread limit, a held lock, a logging hook, Thread.stop, odd pthread and
 * seccomp setups, PID namespaces), each in a child JVM: carrierid must come out
 * with every id right and, where the fast path can work, on the fast path.
 */
class HostileHostTest {
    static final int FEATURE = Runtime.version().feature();

    @TempDir
    Path dir;

    private static void assertRecoveredToNative(ChildJvm.Result r) {
        r.assertAllRight();
        assertTrue(r.stdout().contains("EVENT decided=true"), r::toString);
        assertEquals("NATIVE", r.field("path"), r::toString);
    }

    /**
     * Issue 23: osThreadId()'s first calls answer from /proc/thread-self at once, without waiting
     * for the library: here carrierid-init is stuck opening it (a FIFO nobody writes yet). Before,
     * they waited for it, up to Init.WAIT_MILLIS; now each must return in well under half of that,
     * right, while the library is still unknown; then the library arrives and the path is NATIVE.
     */
    @Test
    void theFirstCallsDoNotWaitForALibraryOnItsWay() throws Exception {
        Path fifo = dir.resolve("libcarrierid.so");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
        assertEquals(0, mkfifo.waitFor(), () -> "mkfifo: " + new String(read(mkfifo)));
        Path library = Path.of(System.getProperty("carrierid.test.classpath").split(java.io.File.pathSeparator)[0],
                "io", "carrierid", NativeLibrary.resource(Platform.current()));
        ChildJvm.Result r = ChildJvm.probe(List.of("-D" + NativeLibrary.PATH_PROPERTY + "=" + fifo),
                "library-on-its-way", fifo.toString(), library.toString());
        assertRecoveredToNative(r);
        Matcher m = Pattern.compile("EVENT calls while the library was on its way: (\\d+), wrong (\\d+).*, longest (\\d+) ms")
                .matcher(r.stdout());
        assertTrue(m.find(), r::toString);
        assertTrue(Integer.parseInt(m.group(1)) >= 20, r::toString); // at least main's, none of which can move
        assertEquals("0", m.group(2), r::toString);
        assertTrue(Long.parseLong(m.group(3)) < Init.WAIT_MILLIS / 2, r::toString);
    }

    private static byte[] read(Process p) {
        try {
            return p.getInputStream().readAllBytes();
        } catch (IOException e) {
            return e.toString().getBytes();
        }
    }

    @Test
    void aStackOverflowDuringTheFirstCallBricksNothing() throws Exception {
        ChildJvm.Result r = ChildJvm.probe(List.of("-Xss512k"), "deep-first-call");
        assertRecoveredToNative(r);
        assertTrue(r.stdout().contains("EVENT first call deep in the stack:"), r::toString);
    }

    @Test
    void aFullHeapDuringTheFirstCallIsRetriedLater() throws Exception {
        ChildJvm.Result r = ChildJvm.probe(List.of("-Xmx48m", "-XX:+UseSerialGC"), "heap-full-first-call");
        assertRecoveredToNative(r);
        assertTrue(r.stdout().contains("EVENT first call with the heap full:"), r::toString);
    }

    /**
     * Issue 19: the heap nearly full (16-48 KiB left) while carrierid initialises. Before, its
     * initialisation ran ProcessHandleImpl's initialiser (17) and the FFM API's (25) out of heap,
     * and those JDK classes stayed broken for the application's life. Now: no JDK class broken,
     * carrierid on the fast path once there is room.
     */
    @Test
    void aNearlyFullHeapLeavesNoJdkClassBroken() throws Exception {
        for (String freeKiB : new String[] {"16", "32", "48"}) {
            ChildJvm.Result r = ChildJvm.probe(List.of("-Xmx32m", "-XX:+UseSerialGC"), "heap-nearly-full-first-call",
                    freeKiB);
            assertRecoveredToNative(r);
            assertTrue(r.stdout().contains("EVENT JDK ProcessHandle works"), r::toString);
            assertFalse(r.stdout().contains("BROKEN"), r::toString);
        }
    }

    /**
     * Issue 19: calls made holding the monitor of carrierid's (not parallel capable) class loader,
     * which carrierid-init needs. Before: 5 s each (4 calls: 20 s). Now: at once, right, and the
     * decision lands once the monitor is let go.
     */
    @Test
    void callsHoldingTheClassLoadersMonitorDoNotWait() throws Exception {
        ChildJvm.Result r = ChildJvm.probe(List.of(), "loader-monitor-first-call");
        r.assertAllRight();
        Matcher m = Pattern.compile("EVENT 4 calls under the loader's monitor took (\\d+) ms, 4 right").matcher(r.stdout());
        assertTrue(m.find(), r::toString);
        assertTrue(Long.parseLong(m.group(1)) < Init.WAIT_MILLIS, r::toString);
        assertTrue(r.stdout().contains("EVENT that copy's path afterwards: NATIVE"), r::toString);
        assertTrue(r.stdout().contains("EVENT CarrierLocal afterwards: set under the monitor"), r::toString);
    }

    /**
     * Issue 19: an OutOfMemoryError injected where carrierid first makes what it keeps (on
     * carrierid-init: the decision, the dispatch classes, CarrierLocal's classes; on carrierid-ffm:
     * the downcalls; on a caller's stack: the version, the reflective carrier). Every one is
     * retried: later calls get the fast path, shared CarrierLocal values, the FFM downcalls (22+).
     */
    @Test
    void anErrorWhereverInitialisationMakesSomethingIsNotKept() throws Exception {
        ChildJvm.Result r = ChildJvm.probe(List.of("-Dcarrierid.inject.error=setup,prepare,warmup,ffm,version"),
                "injected-errors");
        assertRecoveredToNative(r);
        assertTrue(r.stdout().contains("EVENT keys ready true"), r::toString);
        assertFalse(r.diagnosticsJson().contains("(development build)"), r::toString);
        if (FEATURE >= 21) {
            assertTrue(r.stdout().contains("EVENT virtual thread's carrier true"), r::toString);
        }
        if (FEATURE >= 22) {
            assertTrue(r.stdout().contains("EVENT virtual path " + VirtualPath.FFM), r::toString);
        }
        if (FEATURE >= 21) { // without the library: the reflective carrier, after one injected error
            ChildJvm.Result reflective = ChildJvm.probe(List.of("-Dcarrierid.inject.error=reflective",
                    "-Dcarrierid.library.path=" + dir.resolve("none.so")), "injected-errors");
            reflective.assertAllRight();
            assertTrue(reflective.stdout().contains("EVENT virtual thread's carrier true, thrown carrierid: injected"
                    + " at reflective"), reflective::toString);
        }
    }

    /** Issue 19: -XX:-VMContinuations binds each virtual thread to an OS thread of its own. */
    @Test
    void virtualThreadsBoundToTheirOwnOsThreads() throws Exception {
        assumeTrue(FEATURE >= 21, "virtual threads need 21+");
        ChildJvm.Result r = ChildJvm.probe(List.of("-XX:+UnlockExperimentalVMOptions", "-XX:-VMContinuations"),
                "bound-virtual");
        r.assertAllRight();
        assertTrue(r.stdout().contains("EVENT bound: thread() is itself true, osThreadId right true, osThreadIdOf it"
                + " right true, after its end empty true"), r::toString);
    }

    /** A real thread limit: RLIMIT_NPROC for an unprivileged user (root ignores it). */
    @Test
    void noThreadToBeHadDuringTheFirstCallIsRetriedLater() throws Exception {
        assumeTrue(isRoot() && Files.isExecutable(Paths.get("/usr/bin/setpriv"))
                && Files.isExecutable(Paths.get("/usr/bin/prlimit")), "needs root, setpriv and prlimit");
        assumeTrue(System.getProperty("carrierid.test.java") == null,
                "a fetched JDK's launcher lives under root's home, which the unprivileged user cannot read");
        List<String> prefix = List.of("/usr/bin/prlimit", "--nproc=300:300", "/usr/bin/setpriv", "--reuid=65534",
                "--regid=65534", "--clear-groups");
        ChildJvm.Result r = ChildJvm.probe(prefix, Map.of(), List.of("-Xss256k", "-XX:TieredStopAtLevel=1"),
                "threads-exhausted-first-call");
        assertRecoveredToNative(r);
        assertTrue(r.stdout().contains("EVENT thread limit reached"), r::toString);
        assertTrue(r.stdout().contains("no thread to be had: returned the right tid"), r::toString);
    }

    /** JDK 17 deadlocked here: the caller joined a verification thread that needed this monitor to end. */
    @Test
    void aFirstCallHoldingItsThreadGroupsMonitorCompletes() throws Exception {
        ChildJvm.Result r = ChildJvm.probe(List.of(), "hold-thread-group");
        r.assertAllRight();
        assertTrue(r.stdout().contains("monitor took"), r::toString);
        assertTrue(r.stdout().contains("fast path true"), r::toString);
    }

    @Test
    void aLoggingHookInsideInitialisationGetsRightAnswers() throws Exception {
        Offsets real = FallbackTest.REAL;
        Path table = ChildJvm.table(dir, FallbackTest.row(real.osThread() + 8, real.threadId(), real.monitorOwnerId()));
        ChildJvm.Result r = ChildJvm.probe(List.of("-Dcarrierid.offsets=" + table), "logging-hook");
        r.assertAllRight();
        assertTrue(r.stdout().contains("EVENT HOOK ok path NATIVE local made of OptionalLong["), r::toString);
        assertFalse(r.stdout().contains("HOOK WRONG") || r.stdout().contains("HOOK THREW"), r::toString);
    }

    @Test
    void anInheritableThreadLocalHookDoesNotRunInsideInitialisation() throws Exception {
        ChildJvm.Result r = ChildJvm.probe(List.of(), "inheritable-hook");
        r.assertAllRight();
        assertEquals("NATIVE", r.field("path"), r::toString);
        assertTrue(r.stdout().contains("EVENT childValue calls during the first call: 0"), r::toString);
        assertFalse(r.stdout().contains("HOOK WRONG"), r::toString);
    }

    @Test
    void threadStopDuringFirstCallsOnJdk17BricksNothing() throws Exception {
        assumeTrue(FEATURE < 20, "Thread.stop throws UnsupportedOperationException from JDK 20 on");
        ChildJvm.Result r = ChildJvm.probe(List.of(), "stop-first-call");
        assertRecoveredToNative(r);
    }

    /** 30 pthread keys taken before the JVM starts: HotSpot's is 30, carrierid's own are 31 and 32. */
    @Test
    void fewFreePthreadKeysStillFindTheSlot() throws Exception {
        ChildJvm.Result r = probeWithPreloaded("take_keys");
        r.assertAllRight();
        assertEquals("NATIVE", r.field("path"), r::toString);
        assertTrue(r.field("tlsSlot").contains("HotSpot's pthread key 30, found by its value"), r::toString);
    }

    /**
     * Issue 19: 32 and more keys taken before the JVM: HotSpot's key lives outside glibc's thread
     * descriptor. Before, the probe took pthread_create's start argument (the JavaThread* on the
     * threads HotSpot starts, something else on the launcher's main thread) for the slot, and the
     * first call on main crashed the JVM. Now: the portable path, said and logged, every id right.
     */
    @Test
    void hotSpotsKeyOutsideTheDescriptorFallsBackAndSaysSo() throws Exception {
        for (int keys : new int[] {32, 64, 1000}) {
            ChildJvm.Result r = probeWithPreloaded(Map.of("CARRIERID_TAKE_KEYS", Integer.toString(keys)), "take_keys");
            r.assertAllRight();
            assertEquals("PORTABLE_JNI", r.field("path"), r::toString);
            assertEquals("TLS_SLOT", r.field("fallback"), r::toString);
            assertTrue(r.field("fallbackReason").contains("key is " + keys), r::toString); // which key: for people
            assertTrue(r.stderr().contains("carrierid: fast path off, answering on the PORTABLE_JNI path"), r::toString);
        }
    }

    /**
     * Issue 19: a program that embeds the JVM on its primordial thread and calls from pthreads it
     * attaches (their start argument points at pointers): every id right, with HotSpot's key in
     * the descriptor (the fast path) and outside it (the portable path).
     */
    @Test
    void anEmbeddingProgramsOwnThreadsGetRightIds() throws Exception {
        assumeTrue(System.getProperty("carrierid.test.java") == null && Platform.current().x86_64(),
                "links a program against the test JVM's own libjvm (not a fetched or emulated JDK)");
        Path javaHome = Paths.get(System.getProperty("java.home"));
        Path launcher = TestLibraries.buildLauncher(javaHome, dir);
        Path keys = TestLibraries.build("take_keys", dir);
        for (String taken : new String[] {"0", "32"}) {
            ChildJvm.Result r = ChildJvm.exec(List.of(launcher.toString(), System.getProperty("carrierid.test.classpath")),
                    Map.of("LD_PRELOAD", keys.toString(), "CARRIERID_TAKE_KEYS", taken,
                            "CARRIERID_EMBED_OPTIONS", "--enable-native-access=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED"));
            r.assertAllRight();
            assertTrue(r.stdout().contains("EMBEDDED attached-thread failures 0"), r::toString);
            assertEquals(taken.equals("0") ? "NATIVE" : "PORTABLE_JNI", r.field("path"), r::toString);
        }
    }

    /** process_vm_readv refused (as under a seccomp profile, or qemu-user): the pipe serves, and the report says so. */
    @Test
    void refusedProcessVmReadvIsReplacedByAPipe() throws Exception {
        ChildJvm.Result r = probeWithPreloaded("deny_vm_readv");
        r.assertAllRight();
        assertEquals("NATIVE", r.field("path"), r::toString);
        assertTrue(r.field("tlsSlot").contains("fault-safe reads: write(2) into a pipe (process_vm_readv fails with errno 1 (EPERM"),
                r::toString);
    }

    /** Neither fault-safe read works: the reason names both refusals, not "not glibc?". */
    @Test
    void noFaultSafeReadAtAllIsNamedAsSuch() throws Exception {
        ChildJvm.Result r = probeWithPreloaded("deny_vm_readv", "deny_pipe");
        r.assertAllRight();
        assertEquals("PORTABLE_JNI", r.field("path"), r::toString);
        assertEquals("TLS_SLOT", r.field("fallback"), r::toString);
        assertTrue(r.field("fallbackReason").contains("process_vm_readv on this process fails with errno 1 (EPERM"),
                r::toString);
        assertTrue(r.field("fallbackReason").contains("a pipe write with errno 24 (EMFILE"), r::toString);
    }

    /** A PID namespace that kept the host's /proc: /proc's numbers are wrong there, gettid's are right. */
    @Test
    void aPidNamespaceWithTheHostsProcGetsTheNamespacesTids() throws Exception {
        assumeTrue(isRoot() && unshareWorks(), "needs root and unshare --pid");
        List<String> prefix = List.of("unshare", "--pid", "--fork");
        ChildJvm.Result r = ChildJvm.probe(prefix, Map.of("CARRIERID_TRUTH", "gettid"), List.of());
        r.assertAllRight();
        assertEquals("NATIVE", r.field("path"), r::toString);
        assertTrue(r.stdout().contains("EVENT procProblem=/proc belongs to another PID namespace"), r::toString);
        ChildJvm.Result proc = ChildJvm.probe(prefix, Map.of("CARRIERID_TRUTH", "gettid"),
                List.of("-Dcarrierid.path=proc"));
        proc.assertAllRight();
        assertEquals("PORTABLE_JNI", proc.field("path"), proc::toString);
        assertTrue(proc.diagnosticsJson().contains("-Dcarrierid.path=proc not honoured: /proc belongs to another PID namespace"),
                proc::toString);
        // Without the library: FFM gettid on 22+ (no longer rejected for disagreeing with that /proc).
        if (FEATURE >= 22) {
            ChildJvm.Result portable = ChildJvm.probe(prefix, Map.of("CARRIERID_TRUTH", "gettid"),
                    List.of("-Dcarrierid.library.path=" + dir.resolve("none.so")));
            portable.assertAllRight();
            assertEquals("PORTABLE_FFM", portable.field("path"), portable::toString);
        }
    }

    /**
     * A JDK 17 SecurityManager that grants carrierid's code everything and the application
     * only what it uses itself: carrierid must work with its own permissions (before: it fell
     * back, then every call threw AccessControlException).
     */
    @Test
    void underASecurityManagerCarrieridUsesItsOwnPermissions() throws Exception {
        assumeTrue(FEATURE < 24, "JDK 24+ has no SecurityManager");
        String[] classpath = System.getProperty("carrierid.test.classpath").split(java.io.File.pathSeparator);
        Path policy = dir.resolve("test.policy");
        Files.writeString(policy, "grant codeBase \"" + Paths.get(classpath[0]).toUri()
                + "-\" { permission java.security.AllPermission; };\n" + testClassesGrant());
        List<String> options = list("-Djava.security.policy==" + policy);
        options.add("-Djava.security.manager=default"); // installed at startup, on 17-23
        ChildJvm.Result r = ChildJvm.probe(options, "security-manager");
        r.assertAllRight();
        assertEquals("NATIVE", r.field("path"), r::toString);
        assertTrue(r.stdout().contains("EVENT security manager installed: true"), r::toString);
    }

    /**
     * Issue 19: a JDK 17 SecurityManager whose policy grants carrierid nothing (not even
     * java.vm.name). Before, every id call and diagnostics() threw AccessControlException. Now
     * diagnostics() answers, and the ids come from /proc/thread-self (resolved with no
     * permission) once carrierid may read /proc/self/status to check /proc's PID namespace;
     * without that one grant, no id is given (a /proc of another namespace would give wrong
     * ones) and the reason names the grant.
     */
    @Test
    void underASecurityManagerThatGrantsCarrieridNothingNothingThrowsUnsaid() throws Exception {
        assumeTrue(FEATURE < 24, "JDK 24+ has no SecurityManager");
        String[] classpath = System.getProperty("carrierid.test.classpath").split(java.io.File.pathSeparator);
        String tests = testClassesGrant();
        Path nothing = Files.writeString(dir.resolve("nothing.policy"), tests);
        ChildJvm.Result none = ChildJvm.probe(List.of("-Djava.security.manager=default",
                "-Djava.security.policy==" + nothing), "expect-unavailable");
        assertEquals(0, none.exit(), none::toString);
        assertEquals("UNAVAILABLE", none.field("path"), none::toString);
        assertTrue(none.stdout().contains("EVENT osThreadId threw UnsupportedOperationException")
                && none.stdout().contains("java.io.FilePermission \"/proc/self/status\""), none::toString);
        Path status = Files.writeString(dir.resolve("status.policy"), tests + "grant codeBase \""
                + Paths.get(classpath[0]).toUri() + "-\" {\n"
                + "  permission java.io.FilePermission \"/proc/self/status\", \"read\";\n};\n");
        ChildJvm.Result proc = ChildJvm.probe(List.of("-Djava.security.manager=default",
                "-Djava.security.policy==" + status), "security-manager");
        proc.assertAllRight();
        assertEquals("PORTABLE_PROC", proc.field("path"), proc::toString);
    }

    /**
     * Issue 19: a tmpdir with no room for the library (ENOSPC while it is written) and one
     * mounted read-only. Before, each JVM start left its private directory behind, the first with
     * a partial .so that kept the disk full, and the read-only case said "no new private directory
     * could be made ... in 100 attempts". Now nothing is left, and the reason is the kernel's.
     */
    @Test
    void aFullOrReadOnlyTmpdirIsLeftAsItWasAndNamed() throws Exception {
        assumeTrue(isRoot() && unshareWorks(), "needs root and unshare --mount");
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        String helper = Paths.get("src/test/sh/tmpdir-mount").toAbsolutePath().toString();
        String[][] cases = {{"size=12k", "No space left on device"}, {"ro", "Read-only file system"}};
        for (String[] c : cases) {
            List<String> prefix = List.of("unshare", "--mount", "--propagation", "private", helper, c[0], tmp.toString());
            ChildJvm.Result r = ChildJvm.probe(prefix, Map.of(), List.of("-Dcarrierid.tmpdir=" + tmp));
            r.assertAllRight();
            assertEquals("PORTABLE_" + (FEATURE >= 22 ? "FFM" : "PROC"), r.field("path"), r::toString);
            assertTrue(r.field("fallbackReason").contains(c[1]), r::toString);
            assertFalse(r.stdout().contains("LEFT "), r::toString);
            assertTrue(r.stderr().contains("-Dcarrierid.tmpdir=<dir>"), r::toString); // the warning names the fix
        }
    }

    /**
     * /proc hidden (an empty tmpfs over it): before, the portable path threw on every call and
     * a working FFM gettid was discarded. Now: the fast path; without the library, FFM gettid
     * on 22+; on 17-21 without the library there is no way at all, said as such.
     */
    @Test
    void hiddenProcCostsNothingWhereGettidCanBeHad() throws Exception {
        assumeTrue(isRoot() && unshareWorks(), "needs root and unshare --mount");
        Path javaHome = ChildJvm.JAVA.toRealPath().getParent().getParent();
        assumeTrue(Files.isDirectory(javaHome.resolve("lib")) && System.getProperty("carrierid.test.java") == null,
                "a plain JDK (the launcher finds libjli through LD_LIBRARY_PATH without /proc)");
        List<String> prefix = List.of("unshare", "--mount", "--propagation", "private",
                Paths.get("src/test/sh/hide-proc").toAbsolutePath().toString());
        Map<String, String> env = Map.of("CARRIERID_TRUTH", "gettid", "LD_LIBRARY_PATH", javaHome.resolve("lib").toString());
        ChildJvm.Result r = ChildJvm.probe(prefix, env, List.of());
        r.assertAllRight();
        assertEquals("NATIVE", r.field("path"), r::toString);
        assertTrue(r.stdout().contains("EVENT procProblem=cannot read /proc/thread-self"), r::toString);
        String noLibrary = "-Dcarrierid.library.path=" + dir.resolve("none.so");
        if (FEATURE >= 22) {
            ChildJvm.Result ffm = ChildJvm.probe(prefix, env, List.of(noLibrary));
            ffm.assertAllRight();
            assertEquals("PORTABLE_FFM", ffm.field("path"), ffm::toString);
        } else {
            ChildJvm.Result none = ChildJvm.probe(prefix, env, List.of(noLibrary), "expect-unavailable");
            assertEquals(0, none.exit(), none::toString);
            assertEquals("UNAVAILABLE", none.field("path"), none::toString);
            assertTrue(none.stdout().contains("EVENT osThreadId threw UnsupportedOperationException"), none::toString);
        }
    }

    /** A policy's grant of what the test classes (ChildProbe, Truth) use themselves: nothing for carrierid's. */
    private static String testClassesGrant() {
        String tests = System.getProperty("carrierid.test.classpath").split(java.io.File.pathSeparator)[1];
        return "grant codeBase \"" + Paths.get(tests).toUri() + "-\" {\n"
                + "  permission java.util.PropertyPermission \"*\", \"read\";\n"
                + "  permission java.io.FilePermission \"/proc/-\", \"read,readlink\";\n"
                + "  permission java.lang.RuntimePermission \"accessDeclaredMembers\";\n"
                + "  permission java.lang.RuntimePermission \"getenv.*\";\n"
                + "  permission java.lang.RuntimePermission \"getStackTrace\";\n"
                + "  permission java.lang.RuntimePermission \"modifyThreadGroup\";\n"
                + "  permission java.lang.RuntimePermission \"manageProcess\";\n"
                + "  permission java.lang.reflect.ReflectPermission \"suppressAccessChecks\";\n"
                + "};\n";
    }

    /** ChildProbe with a test helper of src/test/c built and LD_PRELOADed. */
    private ChildJvm.Result probeWithPreloaded(String... helpers) throws Exception {
        return probeWithPreloaded(Map.of(), helpers);
    }

    private ChildJvm.Result probeWithPreloaded(Map<String, String> environment, String... helpers) throws Exception {
        StringBuilder preload = new StringBuilder();
        for (String helper : helpers) {
            preload.append(preload.length() > 0 ? ":" : "").append(TestLibraries.build(helper, dir));
        }
        Map<String, String> all = new java.util.HashMap<>(environment);
        all.put("LD_PRELOAD", preload.toString());
        return ChildJvm.probe(List.of(), all, List.of());
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static boolean unshareWorks() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("unshare", "--pid", "--fork", "true").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }

    static List<String> list(String... items) {
        return new ArrayList<>(List.of(items));
    }
}
