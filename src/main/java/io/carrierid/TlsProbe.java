package io.carrierid;

/**
 * Finds where, relative to the thread pointer ({@code %fs} on x86-64,
 * {@code tpidr_el0} on aarch64), the calling thread's {@code JavaThread*} is
 * kept (tls_probe.c explains how; nothing about glibc's layout is assumed), and
 * which fault-safe read this process allows (safe_read.c).
 */
final class TlsProbe {
    /**
     * A found slot ({@code found}: {@code offset} is a signed offset from the thread pointer) and how,
     * or why not; {@code reads}: the fault-safe read in use, or why there is none.
     */
    record Result(boolean found, long offset, String how, String failure, String reads) {
        String describe(Platform platform) {
            return found ? platform.describeSlot(offset) + " (" + how + "; fault-safe reads: " + reads + ")"
                    : "not found: " + failure;
        }
    }

    private TlsProbe() {}

    /** {@code -Dcarrierid.tlsprobe=fail} makes the probe report "not found" (for tests of that fallback). */
    static final String PROPERTY = "carrierid.tlsprobe";

    /** Must run on a started platform thread (its eetop is the truth the probe looks for). */
    static Result probeHere(Platform platform) {
        if ("fail".equals(Property.get(PROPERTY, null))) {
            return new Result(false, 0, "", "made to fail (-D" + PROPERTY + "=fail)", "not probed");
        }
        long[] seen = Native.tlsProbe(Thread.currentThread());
        String keys = "HotSpot's pthread key " + seen[Native.TLS_HOTSPOT_KEY];
        String how = seen[Native.TLS_HOW] == Native.TLS_HOW_LAYOUT
                ? keys + ", glibc's key layout learned from keys " + seen[Native.TLS_OUR_KEY_A] + " and "
                        + seen[Native.TLS_OUR_KEY_B]
                : keys + ", found by its value (no two free pthread keys below 32 to learn glibc's layout: "
                        + ours(seen) + "); checked on fresh threads";
        boolean found = seen[Native.TLS_STATUS] == Native.TLS_FOUND;
        return new Result(found, seen[Native.TLS_SLOT], how, found ? "" : explain(seen, platform), reads(seen));
    }

    private static String ours(long[] seen) {
        return seen[Native.TLS_OUR_KEY_A] < 0 ? "pthread_key_create failed"
                : "carrierid's keys were " + seen[Native.TLS_OUR_KEY_A] + " and " + seen[Native.TLS_OUR_KEY_B];
    }

    /** The fault-safe read in use, e.g. "process_vm_readv" or "a pipe write (process_vm_readv: errno 38, ENOSYS...)". */
    static String reads(long[] seen) {
        switch ((int) seen[Native.TLS_READ_METHOD]) {
            case Native.READ_PROCESS_VM_READV: return "process_vm_readv";
            case Native.READ_PIPE: return "write(2) into a pipe (process_vm_readv fails with "
                    + errno(seen[Native.TLS_VM_READV_ERRNO]) + ")";
            default: return "none";
        }
    }

    static String explain(long[] seen, Platform platform) {
        long windowStart = seen[Native.TLS_WINDOW_START];
        String window = "the 4 KiB " + (windowStart < 0 ? "below " : "at ") + platform.threadPointerName();
        switch ((int) seen[Native.TLS_STATUS]) {
            case Native.TLS_NOT_PLATFORM_THREAD: return "the probing thread has no JavaThread (eetop) to look for";
            case Native.TLS_NO_HOTSPOT_KEY: return "no pthread key holds this thread's JavaThread*";
            case Native.TLS_LAYOUT_UNKNOWN: return "HotSpot's pthread key is " + seen[Native.TLS_HOTSPOT_KEY]
                    + "; glibc's key layout could not be learned (" + ours(seen)
                    + ") and the JavaThread* is not found exactly once in " + window + " (not glibc?)";
            case Native.TLS_KEY_NOT_FIXED: return "HotSpot's pthread key " + seen[Native.TLS_HOTSPOT_KEY]
                    + " is not at a fixed offset in " + window + " (key >= 32?)";
            case Native.TLS_KEY_OUTSIDE_DESCRIPTOR: return "HotSpot's pthread key is " + seen[Native.TLS_HOTSPOT_KEY]
                    + ": glibc keeps keys from 32 up outside the thread descriptor, at no fixed offset (the"
                    + " process took 32 or more pthread keys before the JVM made its own)";
            case Native.TLS_SAFE_READ_UNAVAILABLE: return "fault-safe reads are refused here: process_vm_readv on this"
                    + " process fails with " + errno(seen[Native.TLS_VM_READV_ERRNO]) + ", and a pipe write with "
                    + errno(seen[Native.TLS_PIPE_ERRNO]);
            default: return "unknown probe result " + seen[Native.TLS_STATUS];
        }
    }

    private static String errno(long errno) {
        switch ((int) errno) {
            case 1: return "errno 1 (EPERM: refused, e.g. by a seccomp profile)";
            case 13: return "errno 13 (EACCES: refused)";
            case 24: return "errno 24 (EMFILE: no file descriptor left)";
            case 38: return "errno 38 (ENOSYS: not implemented, e.g. under qemu-user)";
            default: return "errno " + errno;
        }
    }
}
