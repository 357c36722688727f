package io.carrierid;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * What CarrierLocal is for, in memory (not JMH): N virtual threads alive at once,
 * each taking an 8 KiB buffer from {@code ThreadLocal.withInitial} or from
 * {@code CarrierLocal.withInitial}, then blocking until all have one. Prints one
 * line: how many buffers were made, how many threads got none (the supplier stops
 * at 90% of the heap, standing in for an OutOfMemoryError, which a JVM at its
 * limit takes minutes of full collections to throw), and the heap in use while
 * all N were alive. Run it in a
 * JVM of its own per kind (scripts/bench: -Xmx2g, N = 10^5 and 10^6, JDK 25).
 *
 * <p>usage: MemoryDemo threadlocal|carrierlocal N
 */
public final class MemoryDemo {
    static final int BUFFER_BYTES = 8192;

    private MemoryDemo() {}

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        int n = Integer.parseInt(args[1]);
        AtomicInteger made = new AtomicInteger();
        Runtime rt = Runtime.getRuntime();
        Supplier<byte[]> buffer = () -> {
            // Stop at 90% of the heap rather than at the real limit: a JVM at its limit spends
            // minutes in back-to-back full collections before it throws.
            if (rt.totalMemory() - rt.freeMemory() > rt.maxMemory() / 10 * 9) {
                throw new OutOfMemoryError("the heap is 90% full");
            }
            made.incrementAndGet();
            return new byte[BUFFER_BYTES];
        };
        ThreadLocal<byte[]> perThread = ThreadLocal.withInitial(buffer);
        CarrierLocal<byte[]> perCarrier = CarrierLocal.withInitial(buffer);
        boolean carrier = kind.equals("carrierlocal");
        AtomicInteger refused = new AtomicInteger();
        CountDownLatch holding = new CountDownLatch(n);
        CountDownLatch release = new CountDownLatch(1);
        long start = System.nanoTime();
        Runnable task = () -> {
            // After the first OutOfMemoryError the rest do not try: a heap at its limit would
            // otherwise run a full collection per thread.
            if (refused.get() == 0) {
                try {
                    byte[] b = carrier ? perCarrier.get() : perThread.get();
                    b[0]++;
                } catch (OutOfMemoryError e) {
                    refused.incrementAndGet();
                }
            } else {
                refused.incrementAndGet();
            }
            holding.countDown();
            try {
                release.await(); // blocks: the virtual thread unmounts, its ThreadLocal value stays with it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        Thread[] threads = new Thread[n];
        int started = 0;
        try {
            // Once a thread got no buffer the heap is nearly full: start no more (each would need memory too).
            for (; started < n && refused.get() == 0; started++) {
                threads[started] = Threads.startVirtual(task);
            }
        } catch (OutOfMemoryError e) {
            // No memory for another thread: stop here.
        }
        for (int i = started; i < n; i++) {
            holding.countDown(); // the threads never started: let the count reach zero
        }
        holding.await();
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.gc();
        long usedMiB = (rt.totalMemory() - rt.freeMemory()) >> 20;
        release.countDown();
        for (int i = 0; i < started; i++) {
            threads[i].join();
        }
        System.out.printf("%-13s threads=%d started=%d buffersMade=%d outOfMemory=%d heapInUseMiB=%d maxHeapMiB=%d millis=%d%n",
                kind, n, started, made.get(), refused.get(), usedMiB, rt.maxMemory() >> 20, millis);
    }
}
