package io.carrierid;

/**
 * Work done on a thread of carrierid's own, which others wait for with a bound:
 * they wait for the work's end, never for the thread's (on JDK 17 a thread's end
 * may need a lock the waiting caller holds). Interrupts do not cut the wait
 * short; the waiter's interrupt status is kept. A plain instance is one step
 * of such work (libcarrierid's fate, say).
 */
class Completion {
    private boolean done; // guarded by this

    /** Marks the work done and wakes the waiters. */
    final synchronized void markDone() {
        done = true;
        notifyAll();
    }

    /** Waits at most {@code millis} for the work; true when it is done. */
    final synchronized boolean await(long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        boolean interrupted = false;
        long left;
        while (!done && (left = deadline - System.nanoTime()) > 0) {
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return done;
    }
}
