package io.carrierid;

/**
 * carrierid's one way to log: a {@code System.Logger} warning, never thrown out of, and
 * not written when the heap is nearly full ({@link Heap}): the first warning initialises
 * the JDK's logging ({@code java.util.logging} by default), which must not fail there and
 * stay broken for the application. Such a warning is left to {@link Carrier#diagnostics()},
 * which always holds it.
 */
final class Log {
    private Log() {}

    static void warning(String message) {
        try {
            if (Heap.hasHeadroom()) {
                System.getLogger("io.carrierid").log(System.Logger.Level.WARNING, "carrierid: " + message);
            }
        } catch (Throwable t) {
            // A broken logger must not break carrierid.
        }
    }
}
