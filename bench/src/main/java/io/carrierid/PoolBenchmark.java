package io.carrierid;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What CarrierLocal is for, as throughput: a pool of 8 KiB buffers under contention.
 * One operation starts {@value #THREADS} virtual threads; each borrows a buffer
 * {@value #BORROWS} times, fills part of it, and returns it, blocking ({@code parkNanos},
 * standing in for I/O) either while it holds the buffer ({@code hold=acrossBlocking}) or
 * after it gave it back ({@code hold=betweenBlocking}). Pools compared:
 * <ul>
 * <li>{@code carrierLocal}: the README's pattern, {@code getAndSet(null)} to take the
 *     carrier's buffer, {@code compareAndSet(null, buf)} to give one back (a miss makes
 *     a new buffer, a full slot drops the returned one);
 * <li>{@code threadLocal}: {@code ThreadLocal.withInitial}: every virtual thread makes its own;
 * <li>{@code sharedQueue}: one {@code ConcurrentLinkedQueue} for all (poll, or make one; offer back).
 * </ul>
 * JDK 21+ only (virtual threads). {@code buffersMade} and {@code operations} count buffers
 * made and operations run; {@code -prof gc} gives the bytes. scripts/bench runs it on JDK 25.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class PoolBenchmark {
    static final int THREADS = 1_000;
    static final int BORROWS = 4;
    static final int BUFFER_BYTES = 8192;
    static final long BLOCK_NANOS = 20_000;

    @Param({"carrierLocal", "threadLocal", "sharedQueue"})
    public String pool;

    @Param({"acrossBlocking", "betweenBlocking"})
    public String hold;

    private final AtomicLong made = new AtomicLong();
    private CarrierLocal<byte[]> perCarrier;
    private ThreadLocal<byte[]> perThread;
    private ConcurrentLinkedQueue<byte[]> shared;
    private boolean holdAcross;

    /**
     * Buffers made, and operations, each summed over an iteration (JMH's EVENTS counters):
     * the report divides one by the other for buffers made per operation.
     */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Made {
        public long buffersMade;
        public long operations;
    }

    @Setup(Level.Trial)
    public void setUp() {
        if (!Threads.haveVirtualThreads()) {
            throw new IllegalStateException("PoolBenchmark needs virtual threads (JDK 21+)");
        }
        holdAcross = hold.equals("acrossBlocking");
        perCarrier = new CarrierLocal<>();
        perThread = ThreadLocal.withInitial(this::newBuffer);
        shared = new ConcurrentLinkedQueue<>();
    }

    private byte[] newBuffer() {
        made.incrementAndGet();
        return new byte[BUFFER_BYTES];
    }

    @Benchmark
    public long borrowBlockReturn(Made counters) throws InterruptedException {
        long before = made.get();
        Runnable work;
        switch (pool) {
            case "carrierLocal": work = this::withCarrierLocal; break;
            case "threadLocal": work = this::withThreadLocal; break;
            default: work = this::withSharedQueue; break;
        }
        Thread[] threads = new Thread[THREADS];
        for (int i = 0; i < THREADS; i++) {
            threads[i] = Threads.startVirtual(work);
        }
        for (Thread t : threads) {
            t.join();
        }
        long delta = made.get() - before;
        counters.buffersMade += delta;
        counters.operations++;
        return delta;
    }

    /** Fills part of the buffer; blocks while holding it when {@code hold=acrossBlocking} (the thread may move). */
    private void use(byte[] buffer) {
        for (int i = 0; i < 64; i++) {
            buffer[i * 64] = (byte) i;
        }
        if (holdAcross) {
            LockSupport.parkNanos(BLOCK_NANOS);
        }
    }

    /** Blocks after giving the buffer back, when {@code hold=betweenBlocking}. */
    private void afterReturn() {
        if (!holdAcross) {
            LockSupport.parkNanos(BLOCK_NANOS);
        }
    }

    private void withCarrierLocal() {
        for (int i = 0; i < BORROWS; i++) {
            byte[] buffer = perCarrier.getAndSet(null);
            if (buffer == null) {
                buffer = newBuffer();
            }
            use(buffer);
            perCarrier.compareAndSet(null, buffer);
            afterReturn();
        }
    }

    private void withThreadLocal() {
        for (int i = 0; i < BORROWS; i++) {
            use(perThread.get());
            afterReturn();
        }
    }

    private void withSharedQueue() {
        for (int i = 0; i < BORROWS; i++) {
            byte[] buffer = shared.poll();
            if (buffer == null) {
                buffer = newBuffer();
            }
            use(buffer);
            shared.offer(buffer);
            afterReturn();
        }
    }
}
