package io.carrierid;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * CPU time where libcarrierid is not loaded: {@link ThreadMXBean}, of a platform thread
 * (a virtual thread's carrier included). java.management is an optional module of
 * carrierid's ({@code requires static}): where it is not in the JVM (a jlink image without
 * it), or the JVM does not measure threads' CPU time, the answer is -1, as ThreadMXBean's
 * own is where unsupported. No static initialiser (see {@link Init}).
 */
final class PortableCpuClock {
    private PortableCpuClock() {}

    /** The CPU time of live platform thread {@code thread}, or -1. */
    @SuppressWarnings("deprecation") // getId() is threadId() on 19+, and compiles for 17
    static long of(Thread thread) {
        try {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            if (!threads.isThreadCpuTimeSupported()) {
                return -1;
            }
            return thread == Thread.currentThread() ? threads.getCurrentThreadCpuTime()
                    : threads.getThreadCpuTime(thread.getId());
        } catch (LinkageError | RuntimeException e) {
            return -1; // no java.management here, or CPU time measuring disabled or refused
        }
    }
}
