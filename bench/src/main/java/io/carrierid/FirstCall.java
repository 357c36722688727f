package io.carrierid;

/**
 * The cost of carrierid's first call in a fresh JVM: loading the library,
 * choosing and verifying the offsets (on new threads), and the call itself.
 * Prints the milliseconds and the path. scripts/bench runs it several times.
 */
public final class FirstCall {
    public static void main(String[] args) {
        long start = System.nanoTime();
        long tid = Carrier.osThreadId();
        long elapsed = System.nanoTime() - start;
        System.out.printf("{\"firstCallMillis\":%.2f,\"tid\":%d,\"path\":\"%s\",\"javaVersion\":\"%s\"}%n",
                elapsed / 1e6, tid, Carrier.diagnostics().path(), Runtime.version());
    }
}
