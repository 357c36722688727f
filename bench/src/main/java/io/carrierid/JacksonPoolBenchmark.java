package io.carrierid;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.core.util.RecyclerPool;
import io.carrierid.jackson.CarrierRecyclerPool;
import java.io.IOException;
import java.io.StringWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 20: Jackson's buffer recycling under virtual threads, carrierid's pool against what
 * frameworks use today. One operation runs {@value #TASKS} tasks, each serialising a document of
 * about 4 KiB and parsing it back, with a blocking point ({@code parkNanos}, standing in for
 * I/O) between the two ({@code hold=between}) or, in the other case, while a generator (and so
 * a recycler) is held ({@code hold=across}). Tasks run as virtual threads ({@code threads=virtual})
 * or on a pool of 4 platform threads ({@code threads=platform}). Pools: carrierid's
 * {@code CarrierRecyclerPool}; Jackson's thread-local (its default), lock-free, concurrent-deque,
 * bounded (of 64) and non-recycling pools; Vert.x's {@code HybridJacksonPool} (thread-local on
 * platform threads, a lock-free pool striped by processor count on virtual ones). Each JMH fork
 * gets its own pool instances. JDK 21+; {@code -prof gc} gives bytes per operation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class JacksonPoolBenchmark {
    static final int TASKS = 10_000;
    static final int ITEMS = 64;
    static final long BLOCK_NANOS = 20_000;

    @Param({"carrierid", "threadLocal", "lockFree", "concurrentDeque", "bounded", "nonRecycling", "vertxHybrid"})
    public String pool;

    @Param({"virtual", "platform"})
    public String threads;

    @Param({"between", "across"})
    public String hold;

    private JsonFactory factory;
    private ExecutorService platform;
    private boolean across;

    @Setup
    public void setUp() {
        factory = JsonFactory.builder().recyclerPool(pool()).build();
        platform = threads.equals("platform") ? Executors.newFixedThreadPool(4) : null;
        across = hold.equals("across");
    }

    private RecyclerPool<BufferRecycler> pool() {
        switch (pool) {
            case "carrierid": return CarrierRecyclerPool.instance();
            case "threadLocal": return JsonRecyclerPools.threadLocalPool();
            case "lockFree": return JsonRecyclerPools.newLockFreePool();
            case "concurrentDeque": return JsonRecyclerPools.newConcurrentDequePool();
            case "bounded": return JsonRecyclerPools.newBoundedPool(64);
            case "nonRecycling": return JsonRecyclerPools.nonRecyclingPool();
            case "vertxHybrid": return io.vertx.core.json.jackson.HybridJacksonPool.getInstance();
            default: throw new IllegalArgumentException(pool);
        }
    }

    @TearDown
    public void tearDown() {
        if (platform != null) {
            platform.shutdownNow();
        }
    }

    @Benchmark
    public int serializeAndParse() throws Exception {
        CountDownLatch done = new CountDownLatch(TASKS);
        int[] checksum = new int[1];
        for (int t = 0; t < TASKS; t++) {
            int owner = t;
            Runnable task = () -> {
                try {
                    checksum[0] ^= roundTrip(owner);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                } finally {
                    done.countDown();
                }
            };
            if (platform != null) {
                platform.execute(task);
            } else {
                Threads.startVirtual(task);
            }
        }
        done.await();
        return checksum[0];
    }

    private int roundTrip(int owner) throws IOException {
        StringWriter out = new StringWriter(5_000);
        try (JsonGenerator g = factory.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("owner", owner);
            g.writeFieldName("items");
            g.writeStartArray();
            for (int i = 0; i < ITEMS; i++) {
                if (across && i == ITEMS / 2) {
                    LockSupport.parkNanos(BLOCK_NANOS); // blocking while the generator holds its recycler
                }
                g.writeStartObject();
                g.writeNumberField("id", i);
                g.writeStringField("name", "item " + i + " of document " + owner + ", padded out");
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        if (!across) {
            LockSupport.parkNanos(BLOCK_NANOS); // blocking between the two operations
        }
        int sum = 0;
        try (JsonParser p = factory.createParser(out.toString())) {
            for (JsonToken token; (token = p.nextToken()) != null; ) {
                if (token == JsonToken.VALUE_NUMBER_INT) {
                    sum += p.getIntValue();
                }
            }
        }
        return sum;
    }
}
