package io.carrierid;

/**
 * carrierid's one way to log: a {@code System.Logger} warning, never thrown out of, and
 * not written when the heap is nearly full. The first warning initialises the JDK's logging
 * ({@code java.util.logging} by default); a JDK class whose initialiser fails for want of
 * memory stays broken for the JVM's life, for the application too, so below
 * {@value #MIN_HEADROOM_BYTES} bytes of headroom the warning is left to
 * {@link Carrier#diagnostics()}, which always holds it.
 */
final class Log {
    static final long MIN_HEADROOM_BYTES = 8L << 20;

    private Log() {}

    static void warning(String message) {
        try {
            Runtime runtime = Runtime.getRuntime();
            long headroom = runtime.maxMemory() - runtime.totalMemory() + runtime.freeMemory();
            if (headroom >= MIN_HEADROOM_BYTES) {
                System.getLogger("io.carrierid").log(System.Logger.Level.WARNING, "carrierid: " + message);
            }
        } catch (Throwable t) {
            // A broken logger must not break carrierid.
        }
    }
}
