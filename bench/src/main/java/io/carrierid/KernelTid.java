package io.carrierid;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The calling thread's tid as the kernel names it in /proc/thread-self: the harness's own reading,
 * independent of carrierid's classes (which scripts/speed builds the harness against at two commits).
 */
final class KernelTid {
    private KernelTid() {}

    static long fromProc() {
        try {
            return Long.parseLong(new File("/proc/thread-self").getCanonicalFile().getName());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
