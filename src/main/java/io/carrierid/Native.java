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

    /** The {@code %fs} offset of the caller's {@code JavaThread*}, or a negative code of {@link TlsProbe} (tls_probe.c). */
    static native long tlsSlot(Thread current);

    /** The walk checked with fault-safe reads on the calling thread; see {@link Verification} (verify.c). */
    static native long[] verifyHere(Thread current, long tlsSlot, long osThreadOffset, long threadIdOffset);

    /** A field's offset from gHotSpotVMStructs, searching supertypes; -1 no such field, -2 no table (vm_structs.c). */
    static native long vmStructsField(String type, String field);

    /** {@code gnu_get_libc_version()} (system_info.c). */
    static native String libcVersion();

    /** {@code syscall(SYS_gettid)} (system_info.c). */
    static native long gettid();
}
