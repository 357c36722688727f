package io.carrierid;

/**
 * The platform threads carrierid starts for itself (initialisation,
 * verification, FFM setup): daemon threads that inherit no inheritable
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
        Thread thread = new Thread(group(), task, name, 0, false);
        thread.setDaemon(true);
        return thread;
    }

    @SuppressWarnings({"removal", "deprecation"}) // isDestroyed, setDaemon: only asked on 17-18, where groups can still be destroyed
    private static ThreadGroup group() {
        if (Runtime.version().feature() >= 19) {
            return null; // the caller's; groups take no locks there
        }
        synchronized (FreshThread.class) {
            if (group == null || group.isDestroyed()) {
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
}
