package io.carrierid;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The calling thread's tid as the kernel names it in {@code /proc/thread-self}
 * ({@code <pid>/task/<tid>}), trusted only where that {@code /proc} belongs to
 * this process's PID namespace: a {@code /proc} of another namespace (a container
 * started with {@code unshare --pid} and the host's {@code /proc}) names other
 * numbers. Needs nothing but java.io, so it answers {@code osThreadId()}'s first
 * calls while the library loads ({@link Provisional}); kept apart from
 * {@link Portable} so that those calls load and verify no more than this.
 * No static initialiser (see {@link Init}).
 */
final class ProcThreadSelf {
    /** This process's pid as getpid() gives it (0: not known yet). Racy but idempotent. */
    private static long pid;

    private ProcThreadSelf() {}

    /**
     * Why {@code /proc/thread-self} cannot give this process's tids, or empty when it can.
     */
    static String problem() {
        try {
            return foreign(readThreadSelf(), pid());
        } catch (IOException | RuntimeException e) {
            return "cannot read /proc/thread-self: " + e;
        }
    }

    /**
     * Empty when a /proc/thread-self target ({@code <pid>/task/<tid>}) names this process, whose pid is
     * {@code own} ({@link #pid()}); else why not.
     */
    private static String foreign(String target, long own) {
        int slash = target.indexOf('/');
        long seen = slash > 0 ? Long.parseLong(target.substring(0, slash)) : -1;
        if (own < 0) {
            return "whether /proc is this PID namespace's cannot be told: a SecurityManager refuses to let"
                    + " carrierid read /proc/self/status (grant its code base java.io.FilePermission"
                    + " \"/proc/self/status\", \"read\")";
        }
        return seen == own ? "" : "/proc belongs to another PID namespace (it names this process " + seen
                + ", getpid() gives " + own + ")";
    }

    /**
     * The tid the kernel reports for the calling thread through /proc/thread-self.
     *
     * @throws UnsupportedOperationException when /proc cannot be read or names another PID namespace's numbers
     */
    static long tid() {
        // This process's pid first (read once, from a file): the link, the caller's own, is read last,
        // so that nothing between it and the return could be a point where a virtual thread moves.
        long own = pid();
        String target;
        try {
            target = readThreadSelf();
        } catch (IOException | RuntimeException e) {
            throw new UnsupportedOperationException("carrierid: no way to the kernel tid here: cannot read "
                    + "/proc/thread-self (" + e + "), and neither libcarrierid nor FFM (JDK 22+) is available; "
                    + "see Carrier.diagnostics()", e);
        }
        String foreign = foreign(target, own);
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

    /** This process's pid in its own PID namespace, -1 where that cannot be had. */
    private static long pid() {
        long known = pid;
        if (known == 0) {
            known = Privileged.run(new OwnPid());
            if (known > 0) {
                pid = known; // -1 is not kept: it may be for want of heap now
            }
        }
        return known;
    }

    /**
     * The target of /proc/thread-self ({@code <pid>/task/<tid>}), with carrierid's own permissions:
     * as {@code File.getCanonicalPath} resolves it (java.io, which every JVM has initialised, and no
     * permission needed under a SecurityManager). A class, not a lambda: see Init.
     */
    private static final class ReadLink implements java.security.PrivilegedAction<String> {
        @Override
        public String run() {
            try {
                String path = new File("/proc/thread-self").getCanonicalPath();
                if (!path.startsWith("/proc/") || path.indexOf("/task/") < 0) {
                    throw new IOException("/proc/thread-self resolves to " + path);
                }
                return path.substring("/proc/".length());
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

    /**
     * getpid() without the native library: the last number of the NSpid line of /proc/self/status
     * (Linux 4.1+; it lists this process's pid in /proc's PID namespace first and in its own
     * last). Not ProcessHandle where it can be helped: its initialiser, run out of heap, would
     * leave ProcessHandle broken for the application too. -1 where neither may be read.
     */
    private static final class OwnPid implements java.security.PrivilegedAction<Long> {
        @Override
        public Long run() {
            try (FileInputStream in = new FileInputStream("/proc/self/status")) {
                long last = lastNsPid(new String(in.readNBytes(16384), StandardCharsets.ISO_8859_1));
                if (last > 0) {
                    return last;
                }
            } catch (IOException | RuntimeException e) {
                // no such file, or refused: ProcessHandle below
            }
            try {
                return Heap.hasHeadroom() ? ProcessHandle.current().pid() : -1;
            } catch (RuntimeException e) {
                return -1L; // refused by a SecurityManager
            }
        }
    }

    /**
     * The last number of the {@code NSpid:} line of a /proc/[pid]/status text (the pid in the
     * innermost PID namespace; proc(5)), or -1 when it has no such line.
     */
    static long lastNsPid(String status) {
        int at = status.indexOf("\nNSpid:");
        if (at < 0) {
            return -1;
        }
        int end = status.indexOf('\n', at + 1);
        // The last of the line's numbers, found by hand: split("\\s+") would compile a regular
        // expression, whose first use bootstraps java.lang.invoke (8 ms on a first call's path).
        String pids = status.substring(at + "\nNSpid:".length(), end < 0 ? status.length() : end).strip();
        return Long.parseLong(pids.substring(Math.max(pids.lastIndexOf(' '), pids.lastIndexOf('\t')) + 1));
    }
}
