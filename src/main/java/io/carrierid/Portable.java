package io.carrierid;

import java.lang.invoke.MethodHandle;

/**
 * The portable ways to the calling OS thread's tid, used whenever the fast
 * path is off. Each asks the kernel on every call (so each is right on a
 * virtual thread: it runs on its current carrier) and costs a syscall:
 * <ul>
 * <li>{@code gettid} through JNI, where libcarrierid is loaded;
 * <li>{@code gettid()} through the FFM API (JDK 22+, looked up reflectively so
 *     this class compiles for 17), where the library is not;
 * <li>the kernel's {@code /proc/thread-self} link ({@link ProcThreadSelf}), only
 *     where that {@code /proc} belongs to this process's PID namespace.
 * </ul>
 * No static initialiser: {@link Provisional} uses this class (see {@link Init}).
 */
final class Portable {
    private Portable() {}

    /** The best portable path here. Sets FFM up (tens of ms) when asked, so only ask when going portable. */
    static Diagnostics.Path path(boolean libraryLoaded, Platform platform) {
        if (libraryLoaded) {
            return Diagnostics.Path.PORTABLE_JNI;
        }
        if (platform.os() != Platform.Os.LINUX) {
            return Diagnostics.Path.UNAVAILABLE; // gettid and /proc/thread-self are Linux's
        }
        if (platform.gettid() && ffmHandle() != null) {
            return Diagnostics.Path.PORTABLE_FFM;
        }
        return platform.proc() && ProcThreadSelf.problem().isEmpty() ? Diagnostics.Path.PORTABLE_PROC
                : Diagnostics.Path.UNAVAILABLE;
    }

    /** Why FFM's gettid is not used, or empty. */
    static String ffmProblem() {
        if (ffmProblem == null) {
            setUpFfm();
        }
        return ffmProblem;
    }

    private static MethodHandle ffmHandle() {
        if (ffmProblem == null) {
            setUpFfm();
        }
        return ffmGettid;
    }

    /** Only where {@link #path} chose PORTABLE_FFM, which set the downcall up. */
    static long ffmTid() {
        try {
            return (int) ffmGettid.invokeExact();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("FFM gettid() failed", t);
        }
    }

    /**
     * The FFM downcall to gettid, of type ()int, or null where FFM is not to be had; set up at
     * first use only (linking it costs tens of milliseconds). Not a class holder: an Error during
     * the set-up (no memory) is not kept, the next use tries again.
     */
    private static volatile MethodHandle ffmGettid;
    /** Why FFM is not used (empty when it is); null until the set-up has run. */
    private static volatile String ffmProblem;

    private static synchronized void setUpFfm() {
        if (ffmProblem != null) {
            return;
        }
        MethodHandle handle = null;
        String problem;
        try {
            handle = Downcalls.available() ? Downcalls.find("gettid", false, false, int.class) : null;
            problem = handle == null ? "FFM needs JDK 22+" : "";
        } catch (VirtualMachineError e) {
            throw e; // no memory: not an answer to keep
        } catch (Throwable t) { // a refused native access: FFM is simply not used
            Throwable cause = t instanceof java.lang.reflect.InvocationTargetException && t.getCause() != null
                    ? t.getCause() : t;
            problem = cause.toString();
        }
        if (handle != null) {
            try {
                int tid = (int) handle.invokeExact();
                // gettid is the kernel's own answer. /proc can only confirm it where /proc is this
                // namespace's (in a PID namespace with the host's /proc, /proc is the one that is wrong).
                if (tid <= 0) {
                    problem = "FFM gettid() returned " + tid;
                    handle = null;
                } else if (ProcThreadSelf.problem().isEmpty() && tid != ProcThreadSelf.tid()) {
                    problem = "FFM gettid() disagrees with /proc/thread-self of this PID namespace";
                    handle = null;
                }
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable t) {
                problem = "FFM gettid() failed: " + t;
                handle = null;
            }
        }
        ffmGettid = handle;
        ffmProblem = problem;
    }
}
