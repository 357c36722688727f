package io.carrierid;

/**
 * Finds the {@code %fs} offset of the calling thread's {@code JavaThread*}
 * (tls_probe.c explains how; nothing about glibc's layout is assumed).
 */
final class TlsProbe {
    /** A found slot ({@code offset >= 0}) and how, or why not. */
    record Result(long offset, String how, String failure) {
        boolean found() {
            return offset >= 0;
        }

        String describe() {
            return found() ? "%fs:" + Offsets.hex(offset) + " (" + how + ")" : "not found: " + failure;
        }
    }

    // Indexes of Native.tlsProbe's array and its codes (tls_probe.h).
    private static final int SLOT = 0;
    private static final int HOW = 1;
    private static final int HOTSPOT_KEY = 2;
    private static final int OUR_KEY_A = 3;
    private static final int OUR_KEY_B = 4;
    private static final int ERRNO = 5;
    private static final int HOW_LAYOUT = 1;

    private TlsProbe() {}

    /** {@code -Dcarrierid.tlsprobe=fail} makes the probe report "not found" (for tests of that fallback). */
    static final String PROPERTY = "carrierid.tlsprobe";

    /** Must run on a started platform thread (its eetop is the truth the probe looks for). */
    static Result probeHere() {
        if ("fail".equals(System.getProperty(PROPERTY))) {
            return new Result(-1, "", "made to fail (-D" + PROPERTY + "=fail)");
        }
        long[] seen = Native.tlsProbe(Thread.currentThread());
        long slot = seen[SLOT];
        String keys = "HotSpot's pthread key " + seen[HOTSPOT_KEY];
        String how = seen[HOW] == HOW_LAYOUT
                ? keys + ", glibc's key layout learned from keys " + seen[OUR_KEY_A] + " and " + seen[OUR_KEY_B]
                : keys + ", found by its value (no two free pthread keys below 32 to learn glibc's layout: "
                        + ours(seen) + "); checked on fresh threads";
        return new Result(slot, how, slot >= 0 ? "" : explain(seen));
    }

    private static String ours(long[] seen) {
        return seen[OUR_KEY_A] < 0 ? "pthread_key_create failed"
                : "carrierid's keys were " + seen[OUR_KEY_A] + " and " + seen[OUR_KEY_B];
    }

    static String explain(long[] seen) {
        switch ((int) seen[SLOT]) {
            case -1: return "the probing thread has no JavaThread (eetop) to look for";
            case -2: return "no pthread key holds this thread's JavaThread*";
            case -4: return "HotSpot's pthread key is " + seen[HOTSPOT_KEY] + "; glibc's key layout could not be learned ("
                    + ours(seen) + ") and the JavaThread* is not found exactly once in the 4 KiB at %fs (not glibc?)";
            case -5: return "HotSpot's pthread key " + seen[HOTSPOT_KEY] + " is not at a fixed %fs offset (key >= 32?)";
            case -6: return "fault-safe reads are refused here: process_vm_readv on this process fails with errno "
                    + seen[ERRNO] + errnoName(seen[ERRNO]);
            default: return "unknown probe result " + seen[SLOT];
        }
    }

    private static String errnoName(long errno) {
        switch ((int) errno) {
            case 1: return " (EPERM: refused, e.g. by a seccomp profile)";
            case 38: return " (ENOSYS: not implemented, e.g. under qemu-user)";
            default: return "";
        }
    }
}
