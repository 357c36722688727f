package io.carrierid;

import com.sun.jna.Library;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import net.openhft.affinity.Affinity;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Every way to ask "which OS thread am I on", in one run so that the ratios hold
 * on a noisy machine. Names: floor_ (what JMH itself costs), call_ (the cost of
 * a native call and nothing else), carrierid_, peer_. The FFM ones need JDK 22+
 * (scripts/bench leaves them out on 17). In package io.carrierid to reach the
 * library's package-private baselines (Native.nop, the FFM no-op).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class IdBenchmark {
    private static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    /**
     * JNA's view of libc: syscall(SYS_gettid). Loaded (with JNA's native side) when first used, not
     * with this class: FirstCall times exactly that first use.
     */
    public interface CLib extends Library {
        CLib INSTANCE = com.sun.jna.Native.load("c", CLib.class);
        /** gettid's syscall number: 186 on x86-64, 178 on aarch64 (the generic table). */
        long SYS_GETTID = System.getProperty("os.arch").equals("aarch64") ? 178 : 186;

        long syscall(long number);
    }

    /** FFM handles, built on first use (22+ only). */
    static final class Ffm {
        static final MethodHandle NOP = handle("carrierid_nop", true, true, void.class);
        static final MethodHandle GETTID = handle("gettid", false, false, int.class);
        /** libcarrierid's read of the OS thread's CarrierLocal key, made as CarrierKeys makes the one Carrier.index() calls. */
        static final MethodHandle CARRIER_KEY = carrierKeyReader();

        /** Found by name: scripts/speed also builds this harness against a carrierid from before keyReader(). */
        private static MethodHandle carrierKeyReader() {
            Carrier.osThreadId(); // libcarrierid loaded
            java.lang.reflect.Method keyReader;
            try {
                keyReader = CarrierKeys.class.getDeclaredMethod("keyReader");
            } catch (NoSuchMethodException e) {
                return handle("carrierid_current_carrier_key", true, true, long.class); // then: its C thread-local's reader
            }
            try {
                return (MethodHandle) keyReader.invoke(null);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }

        private static MethodHandle handle(String name, boolean ours, boolean critical, Class<?> result) {
            try {
                return Downcalls.find(name, ours, critical, result);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Issue 23's prototype of a read with no native call where the JVM opens java.lang, written plainly with the
     * JDK and nothing of carrierid's but its verified offsets: a private lookup's {@code Thread.currentCarrierThread()}
     * ({@code currentThread()} before 21) and {@code eetop}, then the OSThread and its tid read through an unbounded
     * {@code MemorySegment} (22+; {@code sun.misc.Unsafe} before). No check and no dispatch: the floor of the
     * question itself, in the same JMH loop as carrierid's answer. Built on first use; needs
     * {@code --add-opens java.base/java.lang=ALL-UNNAMED} (scripts/bench and scripts/speed leave the
     * {@code floor_opened_} benchmarks out where it is not given).
     */
    static final class Prototype {
        static final MethodHandle CARRIER;
        static final MethodHandle EETOP;
        static final MethodHandle READ_LONG;
        static final MethodHandle READ_INT;
        static final long OS_THREAD_OFFSET;
        static final long THREAD_ID_OFFSET;

        static {
            Carrier.diagnostics(); // carrierid's decision made: its offsets verified (Active), not read before
            OS_THREAD_OFFSET = Active.OS_THREAD_OFFSET;
            THREAD_ID_OFFSET = Active.THREAD_ID_OFFSET;
            try {
                MethodHandles.Lookup thread = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup());
                MethodType carrier = MethodType.methodType(Thread.class);
                CARRIER = Threads.haveVirtualThreads() ? thread.findStatic(Thread.class, "currentCarrierThread", carrier)
                        : thread.findStatic(Thread.class, "currentThread", carrier);
                EETOP = thread.findGetter(Thread.class, "eetop", long.class);
                READ_LONG = reader("JAVA_LONG_UNALIGNED", "getLong", long.class);
                READ_INT = reader("JAVA_INT_UNALIGNED", "getInt", int.class);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }

        /** (long address)type: a layout's var handle on MemorySegment.NULL reinterpreted to all memory, else Unsafe's. */
        private static MethodHandle reader(String layout, String unsafeMethod, Class<?> type)
                throws ReflectiveOperationException {
            MethodType read = MethodType.methodType(type, long.class);
            try {
                Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
                Object all = segment.getMethod("reinterpret", long.class)
                        .invoke(segment.getField("NULL").get(null), Long.MAX_VALUE);
                Class<?> valueLayout = Class.forName("java.lang.foreign.ValueLayout");
                VarHandle handle = (VarHandle) valueLayout.getMethod("varHandle").invoke(valueLayout.getField(layout).get(null));
                return MethodHandles.insertArguments(handle.toMethodHandle(VarHandle.AccessMode.GET), 0, all).asType(read);
            } catch (ClassNotFoundException | NoSuchMethodException e) { // before 22
                Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
                java.lang.reflect.Field field = unsafeClass.getDeclaredField("theUnsafe");
                field.setAccessible(true);
                return MethodHandles.lookup().findVirtual(unsafeClass, unsafeMethod, read).bindTo(field.get(null));
            }
        }
    }

    private static final ThreadLocal<Long> THREAD_LOCAL = ThreadLocal.withInitial(() -> 42L);
    private static final CarrierLocal<Long> CARRIER_LOCAL = CarrierLocal.withInitial(() -> 42L);
    private static final CarrierPool<Object> POOL = CarrierPool.create(2, Object::new);
    private static final java.lang.management.ThreadMXBean MX = java.lang.management.ManagementFactory.getThreadMXBean();
    /** For set, getAndSet and compareAndSet: always holds VALUE (a cached box: no allocation per call). */
    private static final CarrierLocal<Long> CARRIER_LOCAL_SET = CarrierLocal.withInitial(() -> 42L);
    private static final Long VALUE = 42L;
    private static final WeakCellCache WEAK_CELL = new WeakCellCache(VALUE);

    @SuppressWarnings("deprecation") // getId() is threadId() on 19+, and exists on 17
    @Benchmark
    public long floor_threadId() {
        return Thread.currentThread().getId();
    }

    @Benchmark
    public Long floor_threadLocal_get() {
        return THREAD_LOCAL.get();
    }

    /** ThreadLocal.get() of a Long, unboxed: what a per-thread cache of a number costs (osThreadId() and index() on a platform thread). */
    @Benchmark
    public long floor_threadLocal_getLong() {
        return THREAD_LOCAL.get();
    }

    /** The least a leak-free per-thread cache of a shared cell costs: CarrierLocal.get()'s design floor ({@link WeakCellCache}). */
    @Benchmark
    public Object floor_weakCell_get() {
        return WEAK_CELL.get();
    }

    /** {@link Prototype}'s carrier and its eetop: {@code javaThreadAddress()}'s floor where java.lang is open. */
    @Benchmark
    public long floor_opened_eetop() throws Throwable {
        return (long) Prototype.EETOP.invokeExact((Thread) Prototype.CARRIER.invokeExact());
    }

    /** {@link Prototype}'s whole walk, to the tid: {@code osThreadId()}'s floor where java.lang is open. */
    @Benchmark
    public int floor_opened_walk() throws Throwable {
        long javaThread = (long) Prototype.EETOP.invokeExact((Thread) Prototype.CARRIER.invokeExact());
        long osThread = (long) Prototype.READ_LONG.invokeExact(javaThread + Prototype.OS_THREAD_OFFSET);
        return (int) Prototype.READ_INT.invokeExact(osThread + Prototype.THREAD_ID_OFFSET);
    }

    @Benchmark
    public void call_jni_noop() {
        Native.nop();
    }

    @Benchmark
    public void call_ffm_critical_noop() throws Throwable {
        Ffm.NOP.invokeExact();
    }

    /**
     * The FFM critical downcall a virtual thread's {@code Carrier.index()} and {@code CarrierLocal.get()}
     * make (without java.lang open): the carrier's key, two loads at a fixed offset from the thread pointer
     * where libcarrierid found its pthread key's slot (else a call that reads it). Their floor, where
     * {@code call_ffm_critical_noop} is osThreadId()'s.
     */
    @Benchmark
    public long floor_ffm_carrierKey() throws Throwable {
        return (long) Ffm.CARRIER_KEY.invokeExact();
    }

    @Benchmark
    public long carrierid_osThreadId() {
        return Carrier.osThreadId();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {NATIVE_ACCESS, "-Dcarrierid.path=portable"})
    public long carrierid_osThreadId_portable() {
        return Carrier.osThreadId();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {NATIVE_ACCESS, "-Dcarrierid.path=proc"})
    public long carrierid_osThreadId_proc() {
        return Carrier.osThreadId();
    }

    /** The fast path itself, bypassing the platform-thread cache. */
    @Benchmark
    public long carrierid_osThreadId_uncached() {
        return Dispatch.osThreadIdNow();
    }

    @Benchmark
    public long carrierid_javaThreadAddress() {
        return Carrier.javaThreadAddress();
    }

    @Benchmark
    public Thread carrierid_thread() {
        return Carrier.thread();
    }

    @Benchmark
    public long carrierid_cpuTimeNanos() {
        return Carrier.cpuTimeNanos();
    }

    /** What profilers use today on a platform thread (-1 on a virtual one). */
    @Benchmark
    public long peer_threadMXBean_currentThreadCpuTime() {
        return MX.getCurrentThreadCpuTime();
    }

    @Benchmark
    public int carrierid_index() {
        return Carrier.index();
    }

    @Benchmark
    public Object carrierid_carrierPool_acquireRelease() {
        Object pooled = POOL.acquire();
        POOL.release(pooled);
        return pooled;
    }

    @Benchmark
    public Long carrierid_carrierLocal_get() {
        return CARRIER_LOCAL.get();
    }

    @Benchmark
    public void carrierid_carrierLocal_set() {
        CARRIER_LOCAL_SET.set(VALUE);
    }

    @Benchmark
    public Long carrierid_carrierLocal_getAndSet() {
        return CARRIER_LOCAL_SET.getAndSet(VALUE);
    }

    @Benchmark
    public boolean carrierid_carrierLocal_compareAndSet() {
        return CARRIER_LOCAL_SET.compareAndSet(VALUE, VALUE);
    }

    @Benchmark
    public void floor_threadLocal_set() {
        THREAD_LOCAL.set(VALUE);
    }

    /** The key lookup inside CarrierLocal.get(), alone. */
    @Benchmark
    public long carrierid_carrierKey() {
        return CarrierKeys.current();
    }

    @Benchmark
    public int peer_openhft_affinity_getThreadId() {
        return Affinity.getThreadId();
    }

    @Benchmark
    public long peer_jna_syscall_gettid() {
        return CLib.INSTANCE.syscall(CLib.SYS_GETTID);
    }

    @Benchmark
    public int peer_ffm_gettid() throws Throwable {
        return (int) Ffm.GETTID.invokeExact();
    }

    @Benchmark
    public long peer_jni_syscall_gettid() {
        return Native.gettid();
    }

    @Benchmark
    public long peer_proc_thread_self() {
        return KernelTid.fromProc();
    }

    @Benchmark
    @Warmup(iterations = 1, time = 1)
    @Measurement(iterations = 3, time = 1)
    public long peer_thread_dump_parse() {
        return ThreadDumpTid.current();
    }
}
