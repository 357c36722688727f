package io.carrierid;

/**
 * Finds the {@code %fs} offset of the calling thread's {@code JavaThread*}
 * (tls_probe.c explains how; nothing about glibc's layout is assumed).
 */
final class TlsProbe {
    /** A found slot ({@code offset >= 0}), or why not. */
    record Result(long offset, String failure) {
        boolean found() {
            return offset >= 0;
        }

        String describe() {
            return found() ? "%fs:" + Offsets.hex(offset) + " (HotSpot's pthread key, found at load)" : "not found: " + failure;
        }
    }

    private TlsProbe() {}

    /** {@code -Dcarrierid.tlsprobe=fail} makes the probe report "not found" (for tests of that fallback). */
    static final String PROPERTY = "carrierid.tlsprobe";

    /** Must run on a started platform thread (its eetop is the truth the probe looks for). */
    static Result probeHere() {
        if ("fail".equals(System.getProperty(PROPERTY))) {
            return new Result(-6, "made to fail (-D" + PROPERTY + "=fail)");
        }
        long code = Native.tlsSlot(Thread.currentThread());
        return new Result(code, code >= 0 ? "" : explain(code));
    }

    static String explain(long code) {
        switch ((int) code) {
            case -1: return "the probing thread has no JavaThread (eetop) to look for";
            case -2: return "no pthread key holds this thread's JavaThread*";
            case -3: return "no pthread key could be created to learn the key layout";
            case -4: return "the pthread key layout at %fs could not be learned (not glibc?)";
            case -5: return "HotSpot's pthread key is not at a fixed %fs offset (key >= 32?)";
            default: return "unknown probe result " + code;
        }
    }
}
