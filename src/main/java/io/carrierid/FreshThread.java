package io.carrierid;

/**
 * The one home of "run this on a fresh platform thread": the threads carrierid
 * starts for itself (initialisation, verification, FFM setup, the self-report's
 * samples), and {@link #call}, which runs work on one and waits a bounded time
 * for its answer. They are daemon threads that inherit no inheritable
 * thread-locals (so no caller's {@code childValue} runs inside carrierid) and,
 * on JDK 17 and 18, belong to a thread group of carrierid's own. There a
 * thread's start and end lock its group's monitor, which a caller may hold
 * (then a thread in the caller's group could never finish while the caller
 * waits). No static initialiser: see {@link Init}.
 */
final class FreshThread {
    /** JDK 17-18 only; guarded by FreshThread.class. */
    private static ThreadGroup group;

    private FreshThread() {}

    static Thread create(Runnable task, String name) {
        while (true) {
            ThreadGroup group = group();
            try {
                Thread thread = new Thread(group, task, name, 0, false);
                thread.setDaemon(true);
                return thread; // an unstarted thread keeps its group from being destroyed until it starts
            } catch (IllegalThreadStateException e) {
                // JDK 17-18: carrierid's daemon group was destroyed when its last thread ended, between
                // group() and here (seen once, under qemu-user). A new group, and again.
                if (group == null || !isDestroyed(group)) {
                    throw e;
                }
            }
        }
    }

    @SuppressWarnings({"removal", "deprecation"}) // only asked on 17-18
    private static boolean isDestroyed(ThreadGroup group) {
        return group.isDestroyed();
    }

    @SuppressWarnings({"removal", "deprecation"}) // setDaemon: only asked on 17-18, where groups can still be destroyed
    private static ThreadGroup group() {
        if (Runtime.version().feature() >= 19) {
            return null; // the caller's; groups take no locks there
        }
        synchronized (FreshThread.class) {
            if (group == null || isDestroyed(group)) {
                group = new ThreadGroup("carrierid");
                group.setDaemon(true); // destroyed with its last thread: nothing of carrierid's stays behind
            }
            return group;
        }
    }

    /** {@code Thread.stop} is the host's wish: carrierid records it and lets the thread die. */
    static void rethrowIfThreadDeath(Throwable t) {
        if (t instanceof Error && t.getClass().getName().equals("java.lang.ThreadDeath")) {
            throw (Error) t;
        }
    }

    /** How long a fresh thread may take to give its answer before the attempt counts as a transient failure. */
    static final long FRESH_THREAD_WAIT_MILLIS = 10_000;

    /**
     * Work for {@link #call} (an abstract class, not a functional interface:
     * see Init on lambdas).
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
    static <T> T call(String name, Task<T> task) {
        return start(name, task).answer();
    }

    /** Starts {@code task} on a new platform thread; {@link Running#answer()} waits for it. */
    static <T> Running<T> start(String name, Task<T> task) {
        create(task, name).start();
        return new Running<>(name, task);
    }

    /** A started task, to wait for. */
    static final class Running<T> {
        private final String name;
        private final Task<T> task;

        Running(String name, Task<T> task) {
            this.name = name;
            this.task = task;
        }

        /** Waits, a bounded time, for the task's answer; rethrows an Error it threw. */
        T answer() {
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
}
