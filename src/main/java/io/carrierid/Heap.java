package io.carrierid;

/**
 * Whether the heap has room for a JDK class's first use. A JDK class whose static
 * initialiser fails (an {@code OutOfMemoryError} in it) stays erroneous for the JVM's
 * life, for the application as much as for carrierid, so carrierid touches the JDK
 * classes it may be the first to use (the FFM API's, the logging's) only with
 * {@value #MIN_HEADROOM_BYTES} bytes of heap to spare, and otherwise tries again later.
 * (No JDK class is initialised by this check itself: {@link Runtime} is the JVM's own.)
 */
final class Heap {
    static final long MIN_HEADROOM_BYTES = 8L << 20;

    private Heap() {}

    static boolean hasHeadroom() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.maxMemory() - runtime.totalMemory() + runtime.freeMemory() >= MIN_HEADROOM_BYTES;
    }

    /** @throws OutOfMemoryError (a transient failure, retried) when the heap has too little room for {@code what} */
    static void requireHeadroom(String what) {
        if (!hasHeadroom()) {
            throw new OutOfMemoryError("carrierid: less than " + (MIN_HEADROOM_BYTES >> 20) + " MiB of heap free to "
                    + what + "; tried again later");
        }
    }
}
