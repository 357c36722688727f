package io.carrierid;

import java.util.OptionalLong;

/**
 * Runs in a child JVM with {@code -Dcarrierid.platform=...}: calls every public
 * method once, from a platform thread and (on 21+) a virtual thread, and prints
 * what each returned or threw as {@code API <method> <outcome>} lines, then
 * {@code DIAGNOSTICS <json>}. {@link PlatformTest} holds each row of the
 * README's platform table against them.
 */
final class PlatformProbe {
    public static void main(String[] args) throws Exception {
        boolean available = Carrier.osThreadIdAvailable();
        System.out.println("API osThreadIdAvailable " + available);
        report("osThreadId", () -> {
            long tid = Carrier.osThreadId();
            return tid == Truth.kernelTid() ? "right" : "WRONG " + tid + " vs " + Truth.kernelTid();
        });
        report("javaThreadAddress", () -> {
            long address = Carrier.javaThreadAddress();
            return address == 0 ? "zero" : address == Truth.eetop(Thread.currentThread()) ? "eetop" : "WRONG " + address;
        });
        report("thread", () -> Carrier.thread() == Thread.currentThread() ? "current" : "WRONG");
        report("osThreadIdOf(self)", () -> {
            OptionalLong tid = Carrier.osThreadIdOf(Thread.currentThread());
            return tid.isPresent() && tid.getAsLong() == Truth.kernelTid() ? "right" : "WRONG " + tid;
        });
        Thread other = new Thread(() -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                // end
            }
        });
        other.setDaemon(true);
        other.start();
        report("osThreadIdOf(other)", () -> String.valueOf(Carrier.osThreadIdOf(other).isPresent()));
        report("cpuTimeNanos", () -> {
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            long before = mx.getCurrentThreadCpuTime();
            long ours = Carrier.cpuTimeNanos();
            long after = mx.getCurrentThreadCpuTime();
            return before <= ours && ours <= after ? "ThreadMXBean's" : "WRONG " + before + " " + ours + " " + after;
        });
        report("cpuTimeNanosOf(other)", () -> String.valueOf(Carrier.cpuTimeNanosOf(other).isPresent()));
        report("index", () -> Carrier.index() == Carrier.index() && Carrier.index() >= 0 ? "stable" : "WRONG");
        CarrierLocal<Object> local = CarrierLocal.withInitial(Object::new);
        report("CarrierLocal", () -> local.get() == local.get() ? "one value" : "WRONG");
        if (Truth.hasVirtualThreads()) {
            String[] seen = new String[1];
            Truth.startVirtualThread(() -> {
                try {
                    Thread carrier = Carrier.thread();
                    seen[0] = carrier == Truth.currentCarrier() ? "carrier" : "WRONG " + carrier;
                } catch (RuntimeException e) {
                    seen[0] = "threw " + e.getClass().getSimpleName();
                }
            }).join();
            System.out.println("API thread(virtual) " + seen[0]);
        }
        report("diagnostics", () -> Carrier.diagnostics().path().name());
        System.out.println("DIAGNOSTICS " + Carrier.diagnostics().toJson());
    }

    interface Call {
        String run();
    }

    private static void report(String method, Call call) {
        String outcome;
        try {
            outcome = call.run();
        } catch (RuntimeException e) {
            outcome = "threw " + e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        System.out.println("API " + method + " " + outcome);
    }
}
