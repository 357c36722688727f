package io.carrierid;

/**
 * The JNI entry points of libcarrierid (src/main/c). Callable only after
 * {@link NativeLibrary#load()} succeeded. This class has no static state, so
 * the verification threads can use it while {@link Active} is still being
 * initialised.
 */
final class Native {
    private Native() {}

    /** The kernel tid of the calling OS thread, by the verified walk (fast_path.c). */
    static native long osThreadId0(long tlsSlot, long osThreadOffset, long threadIdOffset);

    /** The calling thread's {@code JavaThread*}, from its verified %fs slot (fast_path.c). */
    static native long javaThreadAddress0(long tlsSlot);

    /** {@code Thread.eetop} of {@code thread}, 0 if none (eetop.c). */
    static native long eetop(Thread thread);

    /** Where the caller's {@code JavaThread*} sits relative to {@code %fs}, and how that was found; see {@link TlsProbe} (tls_probe.c). */
    static native long[] tlsProbe(Thread current);

    /** The walk checked with fault-safe reads on the calling thread; see {@link Verification} (verify.c). */
    static native long[] verifyHere(Thread current, long tlsSlot, long osThreadOffset, long threadIdOffset);

    /** From a virtual thread: {1, the carrier's JavaThread::_monitor_owner_id} read fault-safely, or {0, 0} (verify.c). */
    static native long[] monitorOwnerIdHere(long tlsSlot, long monitorOwnerOffset);

    /** {@code Thread.currentCarrierThread()} (JDK 19+; the thread itself on a platform thread), or null (carrier_thread.c). */
    static native Thread currentCarrier();

    /** {@code VirtualThread.carrierThread} of a virtual thread: null when unmounted or not virtual (carrier_thread.c). */
    static native Thread carrierOf(Thread virtualThread);

    /** Another live platform thread's tid by bracketed fault-safe reads; -1 not alive, -2 unreadable (carrier_thread.c). */
    static native long osThreadIdOf(Thread platformThread, long osThreadOffset, long threadIdOffset);

    /** The calling OS thread's CarrierLocal key, 0 if none yet (carrier_key.c). */
    static native long carrierKey();

    /** Sets the calling OS thread's CarrierLocal key (carrier_key.c). */
    static native void setCarrierKey(long key);

    /** A field's offset from gHotSpotVMStructs, searching supertypes; -1 no such field, -2 no table (vm_structs.c). */
    static native long vmStructsField(String type, String field);

    /** {@code gnu_get_libc_version()} (system_info.c). */
    static native String libcVersion();

    /** Does nothing: the cost of a JNI call, for the benchmark harness (fast_path.c). */
    static native void nop();

    /** {@code syscall(SYS_gettid)} (system_info.c). */
    static native long gettid();
}
