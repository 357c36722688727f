package io.carrierid;

import java.lang.invoke.MethodHandle;

/**
 * The fast path's two routines as FFM critical downcalls (JDK 22+): the same
 * assembly routines the JNI entry points call (thread_pointer.S), without JNI's
 * thread-state transitions (docs/bench: a critical no-op ~2.8 ns against ~4.3
 * for a JNI one). Used only after they gave the JNI path's and the kernel's
 * answers on the setting-up thread (when it is a platform thread) and on a
 * fresh one; otherwise JNI serves.
 */
final class FfmFastPath {
    /** The handles, of types (long,long,long)long and (long)long; both null with {@code problem} when not used. */
    record Handles(MethodHandle osThreadId, MethodHandle javaThread, String problem) {}

    private FfmFastPath() {}

    static Handles create(long slot, Offsets offsets) {
        if (!Downcalls.available()) {
            return new Handles(null, null, "FFM needs JDK 22+");
        }
        MethodHandle osThreadId;
        MethodHandle javaThread;
        try {
            osThreadId = Downcalls.find("carrierid_current_os_thread_id", true, true, long.class,
                    long.class, long.class, long.class);
            javaThread = Downcalls.find("carrierid_current_java_thread", true, true, long.class, long.class);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return new Handles(null, null, "FFM downcalls unavailable: " + e); // an Error (no memory) is thrown on
        }
        Check check = new Check(osThreadId, javaThread, slot, offsets);
        String here = Verification.hasJavaThread() ? check.call() : "";
        String fresh = here.isEmpty() ? FreshThread.call("carrierid-verify-ffm", check) : here;
        if (!fresh.isEmpty()) {
            return new Handles(null, null, "FFM downcalls disagree with JNI: " + fresh);
        }
        return new Handles(osThreadId, javaThread, "");
    }

    /** The downcalls against the JNI path and the kernel on the calling platform thread; empty when all agree. */
    private static final class Check extends FreshThread.Task<String> {
        private final MethodHandle osThreadId;
        private final MethodHandle javaThread;
        private final long slot;
        private final Offsets offsets;

        Check(MethodHandle osThreadId, MethodHandle javaThread, long slot, Offsets offsets) {
            this.osThreadId = osThreadId;
            this.javaThread = javaThread;
            this.slot = slot;
            this.offsets = offsets;
        }

        @Override
        String call() {
            try {
                long tid = (long) osThreadId.invokeExact(slot, offsets.osThread(), offsets.threadId());
                long address = (long) javaThread.invokeExact(slot);
                long jniTid = Native.osThreadId0(slot, offsets.osThread(), offsets.threadId());
                long eetop = Native.eetop(Thread.currentThread());
                long kernel = Native.gettid();
                if (tid != jniTid || tid != kernel || address != eetop) {
                    return "tid " + tid + " (JNI " + jniTid + ", gettid " + kernel + "), JavaThread "
                            + Offsets.hex(address) + " (eetop " + Offsets.hex(eetop) + ")";
                }
                return "";
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable t) {
                return t.toString();
            }
        }
    }
}
