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
            for (int i = 0; i < DEPLOYS; i++) {
                Path copy = dir.resolve("app" + i);
                copyTree(classes, copy); // a directory each: as an exploded web application
                URLClassLoader loader = new URLClassLoader(new URL[] {copy.toUri().toURL()},
                        ClassLoader.getPlatformClassLoader());
                String outcome = longLived.submit(() -> deployAndUse(loader)).get();
                assertEquals("ok", outcome);
                loaders.add(new WeakReference<>(loader));
                loader.close();
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
        } finally {
            longLived.shutdownNow();
        }
    }

    /** Runs on the long-lived thread: what an application would do with carrierid. */
    private static String deployAndUse(ClassLoader loader) throws Exception {
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
            return "wrong: tid " + tid + " address " + address + " fast " + fast + ": " + diagnostics;
        }
        return "ok";
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
