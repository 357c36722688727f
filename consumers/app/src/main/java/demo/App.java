package demo;

import io.carrierid.Carrier;
import io.carrierid.CarrierLocal;
import io.carrierid.Diagnostics;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A consumer of carrierid, built against the installed artifact and run the
 * ways applications run (class path, module path, jlink image, shaded jar,
 * relocated, Spring Boot jar, several class loaders). It checks every id
 * against the kernel's /proc/thread-self and prints one CONSUMER line:
 * the path, the class carrierid's API has here, and whether all was right.
 *
 * <p>Arguments: none (the API from here); {@code loaders JAR DIR} (three class
 * loaders over the jar and three over an exploded copy, each on its own).
 */
public final class App {
    private static final List<String> WRONG = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("loaders")) {
            loaders(Paths.get(args[1]), Paths.get(args[2]));
            return;
        }
        Diagnostics d = Carrier.diagnostics();
        check("main", Carrier.osThreadId());
        for (int i = 0; i < 4; i++) {
            Thread t = new Thread(() -> check("platform", Carrier.osThreadId()));
            t.start();
            t.join();
        }
        int values = -1;
        int carriers = -1;
        Method startVirtual = startVirtualThread();
        if (startVirtual != null) {
            AtomicInteger made = new AtomicInteger();
            CarrierLocal<Object> local = CarrierLocal.withInitial(() -> {
                made.incrementAndGet();
                return new Object();
            });
            Set<Long> seen = ConcurrentHashMap.newKeySet();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                threads.add((Thread) startVirtual.invoke(null, (Runnable) () -> {
                    local.get();
                    long tid = Carrier.osThreadId();
                    check("virtual", tid);
                    seen.add(tid);
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            values = made.get();
            carriers = seen.size();
            if (d.fastPath() && values > carriers) {
                WRONG.add(values + " CarrierLocal values for " + carriers + " carriers");
            }
        }
        System.out.println(d);
        System.out.println("CONSUMER path=" + d.path() + " api=" + Carrier.class.getName() + " values=" + values
                + " carriers=" + carriers + " wrong=" + WRONG.size() + " reason=" + d.fallbackReason());
        WRONG.stream().limit(5).forEach(w -> System.out.println("WRONG " + w));
        System.exit(WRONG.isEmpty() ? 0 : 1);
    }

    private static void check(String where, long tid) {
        long truth = procTid();
        if (tid != truth) {
            synchronized (WRONG) {
                WRONG.add(where + ": " + tid + " vs /proc " + truth);
            }
        }
    }

    private static long procTid() {
        try {
            String target = Files.readSymbolicLink(Paths.get("/proc/thread-self")).toString();
            return Long.parseLong(target.substring(target.lastIndexOf('/') + 1));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Method startVirtualThread() {
        try {
            return Thread.class.getMethod("startVirtualThread", Runnable.class);
        } catch (NoSuchMethodException e) {
            return null; // JDK 17-20
        }
    }

    /** Three loaders over the jar, three over the exploded directory: each must get the fast path. */
    private static void loaders(Path jar, Path dir) throws Exception {
        int fast = 0;
        for (Path where : new Path[] {jar, jar, jar, dir, dir, dir}) {
            try (URLClassLoader loader = new URLClassLoader(new URL[] {where.toUri().toURL()},
                    ClassLoader.getPlatformClassLoader())) {
                Class<?> carrier = Class.forName("io.carrierid.Carrier", true, loader);
                long tid = (long) carrier.getMethod("osThreadId").invoke(null);
                Object d = carrier.getMethod("diagnostics").invoke(null);
                boolean isFast = (boolean) d.getClass().getMethod("fastPath").invoke(d);
                check("loader over " + where, tid);
                if (isFast) {
                    fast++;
                } else {
                    WRONG.add("loader over " + where + " is not on the fast path: "
                            + d.getClass().getMethod("fallbackReason").invoke(d));
                }
            }
        }
        System.out.println("CONSUMER path=" + (fast == 6 ? "NATIVE" : "MIXED") + " api=loaders fast=" + fast
                + "/6 wrong=" + WRONG.size() + " reason=");
        WRONG.stream().limit(5).forEach(w -> System.out.println("WRONG " + w));
        System.exit(WRONG.isEmpty() ? 0 : 1);
    }
}
