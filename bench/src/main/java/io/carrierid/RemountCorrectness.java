package io.carrierid;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import net.openhft.affinity.Affinity;

/**
 * Correctness next to speed (not JMH): virtual threads remount many times, and
 * after each remount every method's answer is compared with the kernel's tid
 * for the carrier at that moment (/proc/thread-self). A method that caches per
 * Java thread (OpenHFT's ThreadLocal) goes wrong; carrierid must not.
 * Prints one JSON object. Needs JDK 21+.
 *
 * <p>usage: RemountCorrectness [threads] [remounts]
 */
public final class RemountCorrectness {
    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int remounts = args.length > 1 ? Integer.parseInt(args[1]) : 50;

        Map<String, LongSupplier> methods = new LinkedHashMap<>();
        methods.put("carrierid_osThreadId", Carrier::osThreadId);
        methods.put("carrierid_osThreadIdOf_carrier", () -> Carrier.osThreadIdOf(Carrier.thread()).orElse(-1));
        methods.put("peer_openhft_affinity_getThreadId", Affinity::getThreadId);
        methods.put("peer_jna_syscall_gettid", () -> IdBenchmark.CLib.INSTANCE.syscall(186));
        methods.put("peer_jni_syscall_gettid", Native::gettid);
        if (Downcalls.available()) {
            methods.put("peer_ffm_gettid", () -> {
                try {
                    return (int) IdBenchmark.Ffm.GETTID.invokeExact();
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
            });
        }
        Map<String, AtomicLong> wrong = new LinkedHashMap<>();
        methods.keySet().forEach(m -> wrong.put(m, new AtomicLong()));
        AtomicLong checks = new AtomicLong();
        AtomicLong carrierChanges = new AtomicLong();
        AtomicLong discarded = new AtomicLong();
        // Each method once before the run: first calls load classes, and class loading can block
        // (and so remount) a virtual thread, which would make a right answer look wrong.
        methods.values().forEach(LongSupplier::getAsLong);

        List<Thread> started = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            started.add(Threads.startVirtual(() -> {
                long previous = -1;
                for (int r = 0; r < remounts; r++) {
                    Thread.yield(); // a remount point
                    // No blocking point from here to the end of the loop body: one carrier throughout.
                    long truth = KernelTid.fromProc();
                    if (previous != -1 && previous != truth) {
                        carrierChanges.incrementAndGet();
                    }
                    previous = truth;
                    long[] answers = new long[methods.size()];
                    int k = 0;
                    for (LongSupplier m : methods.values()) {
                        answers[k++] = m.getAsLong();
                    }
                    if (KernelTid.fromProc() != truth) {
                        discarded.incrementAndGet(); // the thread moved during the check: no truth to compare with
                        continue;
                    }
                    k = 0;
                    for (String name : methods.keySet()) {
                        if (answers[k++] != truth) {
                            wrong.get(name).incrementAndGet();
                        }
                    }
                    checks.incrementAndGet();
                }
            }));
        }
        for (Thread t : started) {
            t.join();
        }
        StringBuilder out = new StringBuilder("{\"javaVersion\":\"" + Runtime.version() + "\",\"virtualThreads\":" + threads
                + ",\"remountsEach\":" + remounts + ",\"checksPerMethod\":" + checks.get()
                + ",\"carrierChangesSeen\":" + carrierChanges.get() + ",\"discardedChecks\":" + discarded.get() + ",\"path\":\"" + Carrier.diagnostics().path()
                + "\",\"wrong\":{");
        boolean first = true;
        for (Map.Entry<String, AtomicLong> w : wrong.entrySet()) {
            out.append(first ? "" : ",").append('"').append(w.getKey()).append("\":").append(w.getValue().get());
            first = false;
        }
        System.out.println(out.append("}}"));
    }
}
