package io.carrierid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9: an application server deploys and undeploys an application that uses
 * carrierid 20 times, each in a class loader of its own, calling it on one
 * long-lived thread. Nothing of carrierid may keep an undeployed loader alive,
 * and no thread may be left per loader.
 */
class RedeployTest {
    static final int DEPLOYS = 20;

    @TempDir
    Path dir;

    @Test
    void undeployedClassLoadersAreCollectedAndLeaveNoThreads() throws Exception {
        Path classes = Paths.get(System.getProperty("carrierid.test.classpath").split(java.io.File.pathSeparator)[0]);
        ExecutorService longLived = Executors.newSingleThreadExecutor();
        List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
        try {
            Long firstKeySlot = null;
            for (int i = 0; i < DEPLOYS; i++) {
                Deployed deployed = deploy(classes, dir.resolve("app" + i), longLived, loaders);
                assertEquals("ok", deployed.outcome());
                if (i == 0) {
                    firstKeySlot = deployed.keySlot();
                }
            }
            // The long-lived thread keeps running (and keeps its thread-locals) while we look.
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (loaders.stream().anyMatch(w -> w.get() != null) && System.nanoTime() < deadline) {
                System.gc();
                Thread.sleep(50);
            }
            long retained = loaders.stream().filter(w -> w.get() != null).count();
            assertEquals(0, retained, retained + " of " + DEPLOYS + " undeployed class loaders still reachable");
            assertTrue(waitForNoCarrieridThreads(), () -> "threads left: " + carrieridThreads());
            if (firstKeySlot != null) {
                assertKeysGivenBack(classes, firstKeySlot, longLived);
            }
        } finally {
            longLived.shutdownNow();
        }
    }

    /**
     * What a deployment saw: "ok" or what was wrong; where its carrier keys are read with no call (22+,
     * glibc), the slot of its pthread key (an offset from the thread pointer: a lower key, a lower slot).
     */
    private record Deployed(String outcome, Long keySlot) {}

    /** Deploys a copy of carrierid's classes in a class loader of its own and uses it on {@code thread}; the loader is let go. */
    private static Deployed deploy(Path classes, Path copy, ExecutorService thread, List<WeakReference<ClassLoader>> loaders)
            throws Exception {
        copyTree(classes, copy); // a directory each: as an exploded web application
        URLClassLoader loader = new URLClassLoader(new URL[] {copy.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        Deployed deployed = thread.submit(() -> deployAndUse(loader)).get();
        loaders.add(new WeakReference<>(loader));
        loader.close();
        return deployed;
    }

    /**
     * Each copy of libcarrierid takes a pthread key when loaded (carrier_key.c) and must give it back when
     * its class loader is unloaded (JNI_OnUnload): else every redeploy would take one of the host's keys
     * for good (glibc has 1,024, and only 32 fast ones). Once all the copies above are collected, a new
     * copy must get a key no higher than the first copy's. Their libraries are unloaded by the JDK's
     * cleaner after the loaders are collected: new copies are made until one does, for 20 s.
     */
    private void assertKeysGivenBack(Path classes, long firstKeySlot, ExecutorService thread) throws Exception {
        List<Long> seen = new ArrayList<>();
        long deadline = System.nanoTime() + 20_000_000_000L;
        for (int i = 0; System.nanoTime() < deadline; i++) {
            System.gc();
            Thread.sleep(200);
            List<WeakReference<ClassLoader>> again = new ArrayList<>();
            Deployed deployed = deploy(classes, dir.resolve("again" + i), thread, again);
            assertEquals("ok", deployed.outcome());
            seen.add(deployed.keySlot());
            if (deployed.keySlot() != null && deployed.keySlot() <= firstKeySlot) {
                return;
            }
        }
        throw new AssertionError("pthread keys not given back: the first copy's key had slot " + firstKeySlot
                + ", copies made once all " + DEPLOYS + " were collected had slots " + seen);
    }

    /** Runs on the long-lived thread: what an application would do with carrierid. */
    private static Deployed deployAndUse(ClassLoader loader) throws Exception {
        Class<?> carrier = Class.forName("io.carrierid.Carrier", true, loader);
        long tid = (long) carrier.getMethod("osThreadId").invoke(null);
        long address = (long) carrier.getMethod("javaThreadAddress").invoke(null);
        Object diagnostics = carrier.getMethod("diagnostics").invoke(null);
        boolean fast = (boolean) diagnostics.getClass().getMethod("fastPath").invoke(diagnostics);
        Class<?> localClass = Class.forName("io.carrierid.CarrierLocal", true, loader);
        Method withInitial = localClass.getMethod("withInitial", Supplier.class);
        Object local = withInitial.invoke(null, (Supplier<Object>) () -> new byte[1024]);
        Object value = localClass.getMethod("get").invoke(local);
        if (Truth.hasVirtualThreads()) {
            Thread v = Truth.startVirtualThread(() -> {
                try {
                    localClass.getMethod("get").invoke(local);
                    carrier.getMethod("osThreadId").invoke(null);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            });
            v.join();
        }
        if (tid != Truth.kernelTid() || address != Truth.eetop(Thread.currentThread()) || !fast || value == null) {
            return new Deployed("wrong: tid " + tid + " address " + address + " fast " + fast + ": " + diagnostics, null);
        }
        return new Deployed("ok", keySlot(loader));
    }

    /** The slot where the copy in {@code loader} reads its carrier keys with no call (22+), or null. */
    private static Long keySlot(ClassLoader loader) throws Exception {
        if (Runtime.version().feature() < 22) {
            return null;
        }
        Class<?> keys = Class.forName("io.carrierid.CarrierKeys", true, loader);
        Method status = keys.getDeclaredMethod("keySlot");
        status.setAccessible(true);
        long deadline = System.nanoTime() + 5_000_000_000L; // set up on carrierid-ffm, after the virtual thread's first call
        while ((long) status.invoke(null) < 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        if ((long) status.invoke(null) != Native.KEY_SLOT_FOUND) {
            return null;
        }
        java.lang.reflect.Field offset = keys.getDeclaredField("keySlotOffset");
        offset.setAccessible(true);
        return (long) offset.get(null);
    }

    private static List<String> carrieridThreads() {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("carrierid")) {
                names.add(t.getName());
            }
        }
        return names;
    }

    private static boolean waitForNoCarrieridThreads() throws InterruptedException {
        for (int i = 0; i < 200 && !carrieridThreads().isEmpty(); i++) {
            Thread.sleep(50);
        }
        return carrieridThreads().isEmpty();
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
