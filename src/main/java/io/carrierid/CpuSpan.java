package io.carrierid;

import java.util.OptionalLong;

/**
 * The CPU time a piece of work used, measured so that a figure is given only where it is the
 * work's own. {@code ThreadMXBean} answers -1 on a virtual thread; {@link Carrier#cpuTimeNanos()}
 * answers with its carrier's clock, which also runs other virtual threads. Two ways:
 *
 * <pre>{@code
 * CpuSpan span = CpuSpan.start();
 * parse(request);                              // no blocking point in here
 * OptionalLong nanos = span.elapsed();         // empty if the thread moved to another OS thread
 *
 * long exact = CpuSpan.measurePinned(() -> handle(request)); // may block: measured pinned
 * }</pre>
 *
 * <p>{@link #elapsed()} is empty when the caller is on another OS thread than at
 * {@link #start()} (a virtual thread that blocked and moved: the difference would mix two
 * clocks). It cannot tell a virtual thread that blocked and came back to the same carrier,
 * after others ran there, from one that never blocked: its figure is the work's own only for
 * work with no blocking point (and always on a platform thread). For work that may block,
 * {@link #measurePinned(Runnable)} runs it pinned to its carrier: a blocking point then
 * blocks the carrier (as any pinned virtual thread does: the carrier runs no other virtual
 * thread meanwhile), and the figure is exact.
 */
public final class CpuSpan {
    private final long osThread;
    private final long startNanos;

    private CpuSpan(long osThread, long startNanos) {
        this.osThread = osThread;
        this.startNanos = startNanos;
    }

    /**
     * Starts a span: the OS thread running the caller and its CPU clock now.
     *
     * @return the span
     * @throws UnsupportedOperationException where {@link Carrier#osThreadId()} throws it
     */
    public static CpuSpan start() {
        long tid = Carrier.osThreadId(); // the two reads have no blocking point between them
        return new CpuSpan(tid, Carrier.cpuTimeNanos());
    }

    /**
     * The CPU time used since {@link #start()}, if the caller is on the same OS thread (see the
     * class comment for what that proves on a virtual thread).
     *
     * @return nanoseconds, or empty when the caller moved to another OS thread, or no CPU clock
     *         can be read here
     */
    public OptionalLong elapsed() {
        long now = Carrier.cpuTimeNanos();
        boolean same = Carrier.osThreadId() == osThread;
        return same && now >= 0 && startNanos >= 0 ? OptionalLong.of(now - startNanos) : OptionalLong.empty();
    }

    /**
     * The kernel tid of the OS thread the span started on.
     *
     * @return the tid
     */
    public long osThreadId() {
        return osThread;
    }

    /**
     * Runs {@code work} on the calling thread, pinned to its OS thread (for a virtual thread,
     * its carrier) from start to end, and returns the CPU time that OS thread used meanwhile:
     * exactly the work's own, blocking points included (a pinned virtual thread that blocks
     * blocks its carrier, and uses no CPU while it waits). Needs libcarrierid (a native frame
     * is what pins); elsewhere the work still runs and -1 is returned.
     *
     * @param work what to run; an exception it throws is thrown on, and then no time is returned
     * @return nanoseconds, or -1 where no CPU clock can be read or libcarrierid is not loaded
     * @throws NullPointerException if {@code work} is null
     */
    public static long measurePinned(Runnable work) {
        java.util.Objects.requireNonNull(work, "work must not be null");
        if (Init.library() == Init.LIBRARY_LOADED || (Init.ready() && Active.NATIVE_LOADED)) {
            return Native.runPinned(work);
        }
        work.run();
        return -1;
    }

    @Override
    public String toString() {
        return "CpuSpan[osThreadId=" + osThread + ", startNanos=" + startNanos + "]";
    }
}
