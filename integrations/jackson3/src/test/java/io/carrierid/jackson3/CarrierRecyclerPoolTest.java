package io.carrierid.jackson3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.util.BufferRecycler;
import tools.jackson.core.util.RecyclerPool;
import io.carrierid.Carrier;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.StringWriter;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** Issue 20: round trips through a JsonFactory using CarrierRecyclerPool, checked field by field. */
class CarrierRecyclerPoolTest {
    /** Items per document: about 4 KiB of JSON. */
    static final int ITEMS = 64;

    /**
     * The shared pool, with every recycler it hands out remembered. Remembered in a lock-free
     * queue: a monitor here (a synchronized set) would be a blocking point while the recycler is
     * held, and holders that block while holding make the pool make more (as documented).
     */
    static final class Counting implements RecyclerPool<BufferRecycler> {
        private static final long serialVersionUID = 1L;
        final transient ConcurrentLinkedQueue<BufferRecycler> handedOut = new ConcurrentLinkedQueue<>();

        @Override
        public BufferRecycler acquirePooled() {
            BufferRecycler recycler = CarrierRecyclerPool.instance().acquirePooled();
            handedOut.add(recycler);
            return recycler;
        }

        /** How many distinct recyclers were handed out. */
        int distinct() {
            Set<BufferRecycler> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
            distinct.addAll(handedOut);
            return distinct.size();
        }

        @Override
        public void releasePooled(BufferRecycler recycler) {
            CarrierRecyclerPool.instance().releasePooled(recycler);
        }
    }

    static String write(JsonFactory factory, int owner) throws RuntimeException {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = factory.createGenerator(out)) {
            g.writeStartObject();
            g.writeName("owner");
            g.writeNumber(owner);
            g.writeName("items");
            g.writeStartArray();
            for (int i = 0; i < ITEMS; i++) {
                g.writeStartObject();
                g.writeName("id");
                g.writeNumber(i);
                g.writeName("name");
                g.writeString("item " + i + " of document " + owner + ", padded out");
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toString();
    }

    /** Null when the document is the one {@link #write} made for {@code owner}; else what differs. */
    static String check(JsonFactory factory, String json, int owner) throws RuntimeException {
        int items = 0;
        long ids = 0;
        int owners = 0;
        try (JsonParser p = factory.createParser(json)) {
            for (JsonToken t; (t = p.nextToken()) != null; ) {
                if (t == JsonToken.VALUE_NUMBER_INT && p.getString() != null) {
                    ids += p.getIntValue();
                } else if (t == JsonToken.VALUE_STRING) {
                    items += p.getString().equals("item " + (items) + " of document " + owner + ", padded out") ? 1 : 0;
                }
            }
        }
        long expected = owner + (long) ITEMS * (ITEMS - 1) / 2;
        return items == ITEMS && ids == expected ? null : "document " + owner + ": " + items + " items, ids " + ids;
    }

    @Test
    void theSharedInstanceIsSharedAndSurvivesSerialisation() throws Exception {
        assertSame(CarrierRecyclerPool.instance(), CarrierRecyclerPool.instance());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(CarrierRecyclerPool.instance());
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertSame(CarrierRecyclerPool.instance(), in.readObject());
        }
    }

    /** Four platform threads, as a server's worker pool: each keeps its own recyclers, as the thread-local pool does. */
    @Test
    void platformThreadsRoundTripWithTheirOwnRecyclers() throws Exception {
        Counting counting = new Counting();
        JsonFactory factory = JsonFactory.builder().recyclerPool(counting).build();
        AtomicReference<String> wrong = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int base = t * 1_000;
            Thread thread = new Thread(() -> {
                try {
                    for (int i = 0; i < 1_000; i++) {
                        String problem = check(factory, write(factory, base + i), base + i);
                        if (problem != null) {
                            wrong.compareAndSet(null, problem);
                        }
                    }
                } catch (Exception e) {
                    wrong.compareAndSet(null, e.toString());
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) {
            t.join();
        }
        assertNull(wrong.get());
        assertTrue(counting.distinct() <= 4 * CarrierRecyclerPool.IDLE_PER_CARRIER, counting.distinct() + " recyclers");
    }

    /**
     * 10^5 virtual threads, each writing and parsing its own document with a blocking point
     * between the two (it may come back on another carrier): every document right, and the
     * recyclers made bounded by the carriers, not the threads.
     */
    @Test
    void virtualThreadsRoundTripAndShareRecyclersPerCarrier() throws Throwable {
        MethodHandle start = startVirtualThread();
        assumeTrue(start != null, "virtual threads need JDK 21+");
        Counting counting = new Counting();
        JsonFactory factory = JsonFactory.builder().recyclerPool(counting).build();
        AtomicReference<String> wrong = new AtomicReference<>();
        Set<Thread> carriers = ConcurrentHashMap.newKeySet();
        List<Thread> threads = new ArrayList<>();
        for (int n = 0; n < 100_000; n++) {
            int owner = n;
            Runnable body = () -> {
                try {
                    String json = write(factory, owner);
                    carriers.add(Carrier.thread());
                    LockSupport.parkNanos(10_000); // a blocking point between operations
                    String problem = check(factory, json, owner);
                    carriers.add(Carrier.thread());
                    if (problem != null) {
                        wrong.compareAndSet(null, problem);
                    }
                } catch (Exception e) {
                    wrong.compareAndSet(null, e.toString());
                }
            };
            threads.add((Thread) start.invokeExact(body));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertNull(wrong.get());
        int bound = CarrierRecyclerPool.IDLE_PER_CARRIER * carriers.size();
        assertTrue(counting.distinct() <= bound, counting.distinct() + " recyclers for " + carriers.size()
                + " carriers: " + Carrier.diagnostics());
        assertEquals(true, Carrier.diagnostics().fastPath(), Carrier.diagnostics()::toString);
    }

    /** Thread.startVirtualThread(Runnable), from code compiled for 17; null before 21. */
    static MethodHandle startVirtualThread() {
        try {
            return MethodHandles.publicLookup().findStatic(Thread.class, "startVirtualThread",
                    MethodType.methodType(Thread.class, Runnable.class));
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}
