package io.carrierid;

/**
 * The JNI entry points of libcarrierid (src/main/c). Callable only after
 * {@link NativeLibrary#load()} succeeded. This class has no static state, so
 * the verification threads can use it while {@link Active} is still being
 * initialised.
 */
final class Native {
    private Native() {}

    /**
     * The interface between these classes and libcarrierid: the native methods below, their
     * result layouts and codes. Raised whenever any of them changes; written into the library
     * at its build (javac -h), which reports it, so a library of another build (say one named
     * by -Dcarrierid.library.path) is refused rather than trusted.
     */
    static final int INTERFACE_VERSION = 3;

    /** The INTERFACE_VERSION libcarrierid was built with (system_info.c). */
    static native int interfaceVersion();

    // The layout and codes of tlsProbe's result, declared once here: javac -h writes them into
    // io_carrierid_Native.h as io_carrierid_Native_<NAME>, which tls_probe.c and safe_read.c use.
    /** Index: one of the TLS_FOUND .. TLS_SAFE_READ_UNAVAILABLE codes. */
    static final int TLS_STATUS = 0;
    /** Index: the slot, a signed offset from the thread pointer (when TLS_FOUND). */
    static final int TLS_SLOT = 1;
    /** Index: how the slot was found, TLS_HOW_*. */
    static final int TLS_HOW = 2;
    /** Index: HotSpot's pthread key, -1 when not found. */
    static final int TLS_HOTSPOT_KEY = 3;
    /** Index: the two keys carrierid created to learn glibc's layout, -1 when not created. */
    static final int TLS_OUR_KEY_A = 4;
    static final int TLS_OUR_KEY_B = 5;
    /** Index: the fault-safe read in use, READ_*. */
    static final int TLS_READ_METHOD = 6;
    /** Index: errno of process_vm_readv when it was refused, else 0; then the pipe's when it failed too. */
    static final int TLS_VM_READV_ERRNO = 7;
    static final int TLS_PIPE_ERRNO = 8;
    /** Index: where the window searched starts, relative to the thread pointer. */
    static final int TLS_WINDOW_START = 9;
    static final int TLS_RESULT_LENGTH = 10;

    static final int TLS_FOUND = 0;
    /** The caller has no eetop (a virtual thread, or not HotSpot). */
    static final int TLS_NOT_PLATFORM_THREAD = 1;
    /** No pthread key holds this thread's JavaThread*. */
    static final int TLS_NO_HOTSPOT_KEY = 2;
    /** glibc's layout not learned, and the JavaThread* not found exactly once in the window. */
    static final int TLS_LAYOUT_UNKNOWN = 3;
    /** HotSpot's key is not at the offset derived (a key >= 32 lives outside the descriptor). */
    static final int TLS_KEY_NOT_FIXED = 4;
    /** No fault-safe read works in this process. */
    static final int TLS_SAFE_READ_UNAVAILABLE = 5;
    /**
     * HotSpot's key is 32 or higher: glibc keeps such keys' values in second-level blocks
     * outside the thread descriptor (a host took 32+ keys before the JVM made its own).
     */
    static final int TLS_KEY_OUTSIDE_DESCRIPTOR = 6;

    static final int TLS_HOW_NONE = 0;
    /** glibc's key layout learned from two keys of carrierid's own. */
    static final int TLS_HOW_LAYOUT = 1;
    /** The one place in the window holding this thread's JavaThread*. */
    static final int TLS_HOW_VALUE = 2;

    static final int READ_NONE = 0;
    static final int READ_PROCESS_VM_READV = 1;
    /** write(2) from the address into a pipe (process_vm_readv refused: qemu-user, seccomp). */
    static final int READ_PIPE = 2;

    // verifyHere's result (verify.c).
    /** Index: one of the VERIFY_OK .. VERIFY_FAST_PATH_DIFFERS codes. */
    static final int VERIFY_CODE = 0;
    /** Index: what was seen: the thread's eetop, the value at its slot, gettid, the tid the walk reached. */
    static final int VERIFY_EETOP = 1;
    static final int VERIFY_TLS_VALUE = 2;
    static final int VERIFY_GETTID = 3;
    static final int VERIFY_WALKED_TID = 4;
    static final int VERIFY_RESULT_LENGTH = 5;

    static final int VERIFY_OK = 0;
    /** No eetop to compare with. */
    static final int VERIFY_NOT_PLATFORM_THREAD = 1;
    static final int VERIFY_TLS_UNREADABLE = 2;
    /** The value at the slot is not eetop. */
    static final int VERIFY_TLS_MISMATCH = 3;
    static final int VERIFY_OSTHREAD_UNREADABLE = 4;
    static final int VERIFY_TID_UNREADABLE = 5;
    /** The walked tid is not gettid's. */
    static final int VERIFY_TID_MISMATCH = 6;
    /** The real fast routine disagrees with the checked walk. */
    static final int VERIFY_FAST_PATH_DIFFERS = 7;
    /** verifyOnNativeThread: JNI AttachCurrentThread failed. */
    static final int VERIFY_ATTACH_FAILED = 8;
    /** verifyOnNativeThread: pthread_create failed (its errno at VERIFY_GETTID). */
    static final int VERIFY_NO_NATIVE_THREAD = 9;

    // osThreadIdOf's results besides a tid (carrier_thread.c).
    /** No JavaThread: unstarted, terminated, or ended during the read. */
    static final long OS_THREAD_NOT_ALIVE = -1;
    /** A verified offset could not be read on a live thread: never expected. */
    static final long OS_THREAD_UNREADABLE = -2;

    // vmStructsFields' results besides an offset (vm_structs.c).
    /** The tables exist but name no such field in the type or its supertypes. */
    static final long VMSTRUCTS_NO_FIELD = -1;
    /** No libjvm with exported tables in this process. */
    static final long VMSTRUCTS_NO_TABLE = -2;

    /** The kernel tid of the calling OS thread, by the verified walk (fast_path.c). */
    static native long osThreadId0(long tlsSlot, long osThreadOffset, long threadIdOffset);

    /** The calling thread's {@code JavaThread*}, from its verified slot (fast_path.c). */
    static native long javaThreadAddress0(long tlsSlot);

    /** {@code Thread.eetop} of {@code thread}, 0 if none (eetop.c). */
    static native long eetop(Thread thread);

    /** Where the caller's {@code JavaThread*} sits relative to the thread pointer, and how that was found: TLS_* above; see {@link TlsProbe} (tls_probe.c). */
    static native long[] tlsProbe(Thread current);

    /** The walk checked with fault-safe reads on the calling thread; see {@link Verification} (verify.c). */
    static native long[] verifyHere(Thread current, long tlsSlot, long osThreadOffset, long threadIdOffset);

    /**
     * {@link #verifyHere} on a thread HotSpot did not start: a pthread libcarrierid creates, attaches
     * through JNI, walks on, detaches and joins (verify.c).
     */
    static native long[] verifyOnNativeThread(long tlsSlot, long osThreadOffset, long threadIdOffset);

    /** From a virtual thread: {1, the carrier's JavaThread::_monitor_owner_id} read fault-safely, or {0, 0} (verify.c). */
    static native long[] monitorOwnerIdHere(long tlsSlot, long monitorOwnerOffset);

    /** {@code Thread.currentCarrierThread()} (JDK 19+; the thread itself on a platform thread), or null (carrier_thread.c). */
    static native Thread currentCarrier();

    /** {@code VirtualThread.carrierThread} of a virtual thread: null when unmounted or not virtual (carrier_thread.c). */
    static native Thread carrierOf(Thread virtualThread);

    /** Another live platform thread's tid by bracketed fault-safe reads, or OS_THREAD_NOT_ALIVE / OS_THREAD_UNREADABLE (carrier_thread.c). */
    static native long osThreadIdOf(Thread platformThread, long osThreadOffset, long threadIdOffset);

    /** CPU time (user + system, ns) of the calling OS thread, -1 if unreadable (cpu_clock.c). */
    static native long cpuTimeNanos();

    /** Another live platform thread's CPU time, read inside the same eetop bracket as osThreadIdOf (carrier_thread.c). */
    static native long cpuTimeNanosOf(Thread platformThread, long osThreadOffset, long threadIdOffset);

    /**
     * Runs {@code work} from a native frame, which pins a virtual thread to its carrier, and returns
     * the CPU time the calling OS thread used meanwhile, -1 if the clock cannot be read; an exception
     * {@code work} throws is thrown on (cpu_clock.c).
     */
    static native long runPinned(Runnable work);

    /** The calling OS thread's CarrierLocal key, 0 if none yet (carrier_key.c). */
    static native long carrierKey();

    /** Sets the calling OS thread's CarrierLocal key (carrier_key.c). */
    static native void setCarrierKey(long key);

    /**
     * Where the CarrierLocal key lives, for a read with no call (carrier_key.c): {@code [KEY_SLOT_STATUS]}
     * one of the KEY_SLOT_FOUND .. KEY_SLOT_NOT_VERIFIED codes; where found, {@code [KEY_SLOT]} the
     * value's offset from the thread pointer and {@code [KEY_SLOT_SEQUENCE]} the key's sequence word.
     */
    static native long[] carrierKeySlot();

    // carrierKeySlot's result: its layout and codes (io_carrierid_Native_<NAME> in C).
    static final int KEY_SLOT_STATUS = 0;
    static final int KEY_SLOT = 1;
    static final int KEY_SLOT_SEQUENCE = 2;
    static final int KEY_SLOT_RESULT_LENGTH = 3;
    /** Found, and checked: a stale value refused as glibc refuses it, and on a new OS thread. */
    static final int KEY_SLOT_FOUND = 0;
    /** No pthread key below 30 was had at load (two are left for TlsProbe): the key is in a C thread-local. */
    static final int KEY_SLOT_THREAD_LOCAL = 1;
    /** The key's value not found exactly once near the thread pointer (not glibc?). */
    static final int KEY_SLOT_NOT_FOUND = 2;
    /** Found, but the checks failed or could not run (no spare key, no new thread). */
    static final int KEY_SLOT_NOT_VERIFIED = 3;

    /**
     * The offsets of fields {@code types[i]::fields[i]} (at most 8) from gHotSpotVMStructs, each
     * searched in the type and its supertypes, in one pass: an offset, VMSTRUCTS_NO_FIELD or
     * VMSTRUCTS_NO_TABLE each (vm_structs.c).
     */
    static native long[] vmStructsFields(String[] types, String[] fields);

    /** {@code gnu_get_libc_version()} (system_info.c). */
    static native String libcVersion();

    /**
     * Does nothing: the cost of a JNI call, for the benchmark harness (fast_path.c; its FFM
     * twin is carrierid_nop). It ships in the jar users get on purpose: the harness measures
     * the very library users load, and a baseline must come from that library to mean anything.
     * Package-private, like everything here; nothing outside carrierid's package can call it.
     */
    static native void nop();

    /** {@code syscall(SYS_gettid)} (system_info.c). */
    static native long gettid();
}
