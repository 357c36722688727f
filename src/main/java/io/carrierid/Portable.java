package io.carrierid;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * The portable ways to the calling OS thread's tid, used whenever the fast
 * path is off. Each asks the kernel on every call (so each is right on a
 * virtual thread: it runs on its current carrier) and costs a syscall:
 * <ul>
 * <li>{@code gettid} through JNI, where libcarrierid is loaded;
 * <li>{@code gettid()} through the FFM API (JDK 22+, looked up reflectively so
 *     this class compiles for 17), where the library is not;
 * <li>the kernel's {@code /proc/thread-self} link ({@code <pid>/task/<tid>}),
 *     only where that {@code /proc} belongs to this process's PID namespace: a
 *     {@code /proc} of another namespace (a container started with
 *     {@code unshare --pid} and the host's {@code /proc}) names other numbers.
 * </ul>
 * No static initialiser: {@link Provisional} uses this class (see {@link Init}).
 */
final class Portable {
    /** This process's pid as getpid() gives it (0: not looked up yet). Racy but idempotent. */
    private static long pid;

    private Portable() {}

    /** The best portable path here. Sets FFM up (tens of ms) when asked, so only ask when going portable. */
    static Diagnostics.Path path(boolean libraryLoaded, Platform platform) {
        if (libraryLoaded) {
            return Diagnostics.Path.PORTABLE_JNI;
        }
        if (platform.os() != Platform.Os.LINUX) {
            return Diagnostics.Path.UNAVAILABLE; // gettid and /proc/thread-self are Linux's
        }
        if (platform.gettid() && Ffm.GETTID != null) {
            return Diagnostics.Path.PORTABLE_FFM;
        }
        return platform.proc() && procProblem().isEmpty() ? Diagnostics.Path.PORTABLE_PROC
                : Diagnostics.Path.UNAVAILABLE;
    }

    /** Why FFM's gettid is not used, or empty. */
    static String ffmProblem() {
        return Ffm.PROBLEM;
    }

    static long ffmTid() {
        try {
            return (int) Ffm.GETTID.invokeExact();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("FFM gettid() failed", t);
        }
    }

    /**
     * Why {@code /proc/thread-self} cannot give this process's tids, or empty when it can.
     */
    static String procProblem() {
        try {
            return foreign(readThreadSelf());
        } catch (IOException | RuntimeException e) {
            return "cannot read /proc/thread-self: " + e;
        }
    }

    /** Empty when a /proc/thread-self target ({@code <pid>/task/<tid>}) names this process; else why not. */
    private static String foreign(String target) {
        int slash = target.indexOf('/');
        long seen = slash > 0 ? Long.parseLong(target.substring(0, slash)) : -1;
        return seen == pid() ? "" : "/proc belongs to another PID namespace (it names this process " + seen
                + ", getpid() gives " + pid() + ")";
    }

    /**
     * The tid the kernel reports for the calling thread through /proc/thread-self.
     *
     * @throws UnsupportedOperationException when /proc cannot be read or names another PID namespace's numbers
     */
    static long procTid() {
        String target;
        try {
            target = readThreadSelf();
        } catch (IOException | RuntimeException e) {
            throw new UnsupportedOperationException("carrierid: no way to the kernel tid here: cannot read "
                    + "/proc/thread-self (" + e + "), and neither libcarrierid nor FFM (JDK 22+) is available; "
                    + "see Carrier.diagnostics()", e);
        }
        String foreign = foreign(target);
        if (!foreign.isEmpty()) {
            throw new UnsupportedOperationException("carrierid: " + foreign + " (" + target
                    + "), and neither libcarrierid nor FFM (JDK 22+) is available; see Carrier.diagnostics()");
        }
        return Long.parseLong(target.substring(target.lastIndexOf('/') + 1));
    }

    private static String readThreadSelf() throws IOException {
        try {
            return Privileged.run(new ReadLink());
        } catch (ReadLink.Failed e) {
            throw e.getCause();
        }
    }

    private static long pid() {
        long known = pid;
        if (known == 0) {
            known = Privileged.run(new OwnPid());
            pid = known;
        }
        return known;
    }

    /** readlink("/proc/thread-self"), with carrierid's own permissions. A class, not a lambda: see Init. */
    private static final class ReadLink implements java.security.PrivilegedAction<String> {
        @Override
        public String run() {
            try {
                return Files.readSymbolicLink(Paths.get("/proc/thread-self")).toString();
            } catch (IOException e) {
                throw new Failed(e);
            }
        }

        static final class Failed extends RuntimeException {
            private static final long serialVersionUID = 1L;

            Failed(IOException cause) {
                super(cause);
            }

            @Override
            public synchronized IOException getCause() {
                return (IOException) super.getCause();
            }
        }
    }

    private static final class OwnPid implements java.security.PrivilegedAction<Long> {
        @Override
        public Long run() {
            return ProcessHandle.current().pid();
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
                handle = Downcalls.available() ? Downcalls.find("gettid", false, false, int.class) : null;
                problem = handle == null ? "FFM needs JDK 22+" : "";
            } catch (Throwable t) { // a refused native access, no memory: FFM is simply not used
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
                    } else if (procProblem().isEmpty() && tid != procTid()) {
                        problem = "FFM gettid() disagrees with /proc/thread-self of this PID namespace";
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
}
