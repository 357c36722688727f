package io.carrierid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The portable way to the calling OS thread's tid, used whenever the fast path
 * is off: glibc's {@code gettid()} through the FFM API where the JVM has it
 * (22+, looked up reflectively so this class compiles for 17), else the
 * kernel's {@code /proc/thread-self} link, which names {@code <pid>/task/<tid>}.
 * Both ask the kernel on every call, so both are right on a virtual thread
 * (they run on its current carrier) and both cost a syscall.
 */
final class Portable {
    private static final Path THREAD_SELF = Paths.get("/proc/thread-self");

    private Portable() {}

    /** The best portable path here. The first call sets up FFM (tens of ms), so only ask when going portable. */
    static Diagnostics.Path path() {
        return Ffm.GETTID != null ? Diagnostics.Path.PORTABLE_FFM : Diagnostics.Path.PORTABLE_PROC;
    }

    /** Why FFM is not used, or empty. */
    static String ffmProblem() {
        return Ffm.PROBLEM;
    }

    static long osThreadId() {
        if (Ffm.GETTID != null) {
            try {
                return (int) Ffm.GETTID.invokeExact();
            } catch (Throwable t) {
                throw new IllegalStateException("FFM gettid() failed", t);
            }
        }
        return procTid();
    }

    /** The tid the kernel reports for the calling thread through /proc/thread-self. */
    static long procTid() {
        try {
            String target = Files.readSymbolicLink(THREAD_SELF).toString();
            return Long.parseLong(target.substring(target.lastIndexOf('/') + 1));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/thread-self", e);
        }
    }

    /** The FFM downcall, set up on first use only: linking it costs tens of milliseconds. */
    private static final class Ffm {
        /** The downcall to gettid, of type ()int, or null where FFM is not to be had. */
        static final MethodHandle GETTID;
        /** Why FFM is not used (empty when it is). */
        static final String PROBLEM;

        static {
            MethodHandle handle = null;
            String problem;
            try {
                handle = ffmGettid();
                problem = handle == null ? "FFM needs JDK 22+" : "";
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                problem = e.toString();
            }
            if (handle != null) {
                try {
                    int tid = (int) handle.invokeExact();
                    if (tid != procTid()) {
                        problem = "FFM gettid() disagrees with /proc/thread-self";
                        handle = null;
                    }
                } catch (Throwable t) {
                    problem = "FFM gettid() failed: " + t;
                    handle = null;
                }
            }
            GETTID = handle;
            PROBLEM = problem;
        }

        private Ffm() {}
    }

    /** Null below JDK 22, where java.lang.foreign is absent or a preview. */
    private static MethodHandle ffmGettid() throws ReflectiveOperationException {
        return Downcalls.available() ? Downcalls.find("gettid", false, false, int.class) : null;
    }
}
