package io.carrierid;

/**
 * The check that gates the fast path: on the loading thread (when it is a
 * platform thread) and on {@value #FRESH_THREADS} freshly started platform
 * threads, the walk from the %fs slot must give this thread's eetop and the
 * tid the kernel's gettid gives, read with fault-safe reads (verify.c).
 * One failure anywhere disables the fast path.
 */
final class Verification {
    static final int FRESH_THREADS = 3;

    /** {@code threads} is how many threads passed; {@code failure} is empty when all did. */
    record Result(int threads, String failure) {
        boolean passed() {
            return failure.isEmpty();
        }
    }

    private Verification() {}

    static Result run(long slot, Offsets offsets) {
        int passed = 0;
        if (hasJavaThread()) {
            String failure = verifyHere(slot, offsets);
            if (!failure.isEmpty()) {
                return new Result(passed, "on the loading thread: " + failure);
            }
            passed++;
        }
        for (int i = 0; i < FRESH_THREADS; i++) {
            String failure = onFreshThread("carrierid-verify-" + i, new Task<String>() {
                @Override
                String call() {
                    return verifyHere(slot, offsets);
                }
            });
            if (!failure.isEmpty()) {
                return new Result(passed, "on a fresh thread: " + failure);
            }
            passed++;
        }
        return new Result(passed, "");
    }

    /** How long initialisation waits for a carrier to run the virtual-thread check. */
    static final long VIRTUAL_CHECK_WAIT_MILLIS = 1_000;

    /**
     * From a virtual thread, the walk must reach the carrier whose
     * {@code _monitor_owner_id} is this virtual thread's {@code threadId()}.
     * Where the JDK has no virtual threads or no such field, not applicable.
     * Empty when passed; otherwise a failure (starting "FAILED") or why it did not run.
     */
    static String runVirtual(long slot, Offsets offsets) {
        if (!Threads.haveVirtualThreads() || !offsets.hasMonitorOwnerId()) {
            return "not applicable on this JDK";
        }
        if (Threads.isVirtual(Thread.currentThread())) {
            return checkVirtualHere(slot, offsets);
        }
        VirtualCheck check = new VirtualCheck(slot, offsets);
        Thread thread = Threads.startVirtual(check);
        // Bounded: every carrier may be pinned (say by virtual threads waiting for this very
        // initialisation), and a check that cannot run must not hang the caller.
        boolean interrupted = false;
        long deadline = System.nanoTime() + VIRTUAL_CHECK_WAIT_MILLIS * 1_000_000;
        while (thread.isAlive() && System.nanoTime() < deadline) {
            try {
                thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        String result = check.result;
        return result == null ? "not run: no carrier free within " + VIRTUAL_CHECK_WAIT_MILLIS + " ms" : result;
    }

    private static final class VirtualCheck implements Runnable {
        private final long slot;
        private final Offsets offsets;
        volatile String result;

        VirtualCheck(long slot, Offsets offsets) {
            this.slot = slot;
            this.offsets = offsets;
        }

        @Override
        public void run() {
            result = checkVirtualHere(slot, offsets);
        }
    }

    @SuppressWarnings("deprecation") // getId() is threadId() on 19+, and compiles for 17
    private static String checkVirtualHere(long slot, Offsets offsets) {
        long expected = Thread.currentThread().getId();
        long[] seen = Native.monitorOwnerIdHere(slot, offsets.monitorOwnerId());
        if (seen[0] != 1) {
            return "FAILED: JavaThread::_monitor_owner_id cannot be read from a virtual thread";
        }
        if (seen[1] != expected) {
            return "FAILED: from virtual thread #" + expected + " the walk reads _monitor_owner_id " + seen[1];
        }
        return "";
    }

    /** True when the calling thread is a started platform thread (virtual threads have no eetop). */
    static boolean hasJavaThread() {
        return Native.eetop(Thread.currentThread()) != 0;
    }

    private static String verifyHere(long slot, Offsets offsets) {
        long[] seen = Native.verifyHere(Thread.currentThread(), slot, offsets.osThread(), offsets.threadId());
        return explain(seen);
    }

    static String explain(long[] seen) {
        long eetop = seen[1];
        long tls = seen[2];
        long gettid = seen[3];
        long walked = seen[4];
        switch ((int) seen[0]) {
            case 0: return "";
            case 1: return "the thread has no eetop";
            case 2: return "the %fs slot cannot be read";
            case 3: return "the %fs slot holds " + Offsets.hex(tls) + ", eetop is " + Offsets.hex(eetop);
            case 4: return "JavaThread::_osthread cannot be read at that offset";
            case 5: return "OSThread::_thread_id cannot be read at that offset";
            case 6: return "the walk gives tid " + walked + ", gettid gives " + gettid;
            case 7: return "the fast routine disagrees with the checked walk";
            default: return "unknown verification result " + seen[0];
        }
    }

    /** How long a fresh thread may take to give its answer before the attempt counts as a transient failure. */
    static final long FRESH_THREAD_WAIT_MILLIS = 10_000;

    /**
     * Work for {@link #onFreshThread}. An abstract class rather than a lambda:
     * this runs during initialisation, where the first lambda would cost
     * milliseconds of bootstrap.
     */
    abstract static class Task<T> extends Completion implements Runnable {
        private T result;
        private Throwable thrown;

        abstract T call();

        @Override
        public final void run() {
            T value = null;
            Throwable failure = null;
            try {
                value = call();
            } catch (Throwable t) {
                failure = t;
            }
            synchronized (this) {
                result = value;
                thrown = failure;
            }
            markDone();
        }
    }

    /** A fresh thread gave no answer in time (a stalled host): a transient failure, tried again later. */
    static final class NoAnswer extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoAnswer(String message) {
            super(message);
        }
    }

    /** Runs {@code task} on a new platform thread and waits, a bounded time, for its answer. */
    static <T> T onFreshThread(String name, Task<T> task) {
        FreshThread.create(task, name).start();
        if (!task.await(FRESH_THREAD_WAIT_MILLIS)) {
            throw new NoAnswer(name + " gave no answer within " + FRESH_THREAD_WAIT_MILLIS + " ms");
        }
        synchronized (task) {
            if (task.thrown instanceof Error) {
                throw (Error) task.thrown; // no memory, no stack: transient, Setup tells them apart
            }
            if (task.thrown != null) {
                throw new IllegalStateException("carrierid verification thread failed", task.thrown);
            }
            return task.result;
        }
    }
}
