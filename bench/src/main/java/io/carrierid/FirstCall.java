package io.carrierid;

import java.lang.reflect.Method;

/**
 * The cost of a first call in a fresh JVM: carrierid's (loading the library,
 * choosing and verifying the offsets, the call itself) and its peers'. Prints
 * one JSON line: what was called, the milliseconds the caller waited, and for
 * carrierid where initialisation's time went (its own timeline,
 * {@code setupMicros}). scripts/bench runs each mode in several JVMs.
 *
 * <p>usage: FirstCall MODE, MODE one of
 * <ul>
 * <li>{@code platform}: {@code Carrier.osThreadId()} on the main thread, nothing before it;
 * <li>{@code platform-after-virtual} and {@code virtual} (JDK 21+): first a bare virtual
 *     thread is started and joined (the JDK's scheduler starts); then the call is made on
 *     the main thread, or inside a second virtual thread and timed there (so net of
 *     starting it): the two differ only in the caller;
 * <li>{@code jna}: JNA's {@code syscall(SYS_gettid)}; {@code openhft}: OpenHFT's
 *     {@code Affinity.getThreadId()}.
 * </ul>
 */
public final class FirstCall {
    private FirstCall() {}

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "platform";
        long[] result = new long[2]; // nanos, tid
        switch (mode) {
            case "platform":
                timeCarrierid(result);
                break;
            case "platform-after-virtual":
                startVirtual(new Runnable() {
                    @Override
                    public void run() {}
                }).join();
                timeCarrierid(result);
                break;
            case "virtual":
                startVirtual(new Runnable() {
                    @Override
                    public void run() {}
                }).join();
                startVirtual(new Runnable() {
                    @Override
                    public void run() {
                        timeCarrierid(result);
                    }
                }).join();
                break;
            case "jna": {
                long start = System.nanoTime();
                // IdBenchmark's interface, initialised here (JNA's load included), not IdBenchmark itself.
                result[1] = IdBenchmark.CLib.INSTANCE.syscall(IdBenchmark.CLib.SYS_GETTID);
                result[0] = System.nanoTime() - start;
                break;
            }
            case "openhft": {
                long start = System.nanoTime();
                result[1] = net.openhft.affinity.Affinity.getThreadId();
                result[0] = System.nanoTime() - start;
                break;
            }
            default:
                throw new IllegalArgumentException("unknown mode " + mode);
        }
        boolean carrierid = !mode.equals("jna") && !mode.equals("openhft");
        String path = carrierid ? Carrier.diagnostics().path().name() : "-"; // waits for the decision, then Active
        String setup = carrierid
                ? "[" + String.join(",", OffsetDump.timeline(Active.OUTCOME.facts().timeline())) + "]" : "[]";
        System.out.println("{\"mode\":\"" + mode + "\",\"firstCallMillis\":" + String.format("%.2f", result[0] / 1e6)
                + ",\"tid\":" + result[1] + ",\"path\":\"" + path
                + "\",\"javaVersion\":\"" + Runtime.version() + "\",\"setupMicros\":" + setup + "}");
    }

    private static void timeCarrierid(long[] result) {
        long start = System.nanoTime();
        result[1] = Carrier.osThreadId();
        result[0] = System.nanoTime() - start;
    }

    /** Thread.startVirtualThread, reflectively (this class compiles for 17). */
    private static Thread startVirtual(Runnable task) throws Exception {
        Method start = Thread.class.getMethod("startVirtualThread", Runnable.class);
        return (Thread) start.invoke(null, task);
    }
}
