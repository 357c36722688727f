package io.carrierid;

import java.lang.ref.WeakReference;
import java.util.Arrays;

/**
 * {@link Carrier#index()} where carriers cannot be told apart by libcarrierid: a dense
 * number per {@code Thread}, under the same rules as {@link CarrierKeys}' indexes (lowest
 * free first; an index is freed once its thread has ended, checked when none is free). A
 * linear search under a monitor: a fallback, not a fast path. No static initialiser (see
 * {@link Init}): its arrays are made at first use.
 */
final class ThreadIndexes {
    /** By index: the thread holding it, weakly; null where free. Guarded by ThreadIndexes.class. */
    private static WeakReference<Thread>[] holders;
    private static int used;

    private ThreadIndexes() {}

    static synchronized int of(Thread thread) {
        if (holders == null) {
            holders = newArray(8);
        }
        int free = -1;
        for (int i = 0; i < used; i++) {
            Thread holder = holders[i] == null ? null : holders[i].get();
            if (holder == thread) {
                return i;
            }
            if (free < 0 && holders[i] == null) {
                free = i;
            }
        }
        if (free < 0) {
            free = reclaimLowest();
        }
        if (free < 0) {
            if (used == holders.length) {
                holders = Arrays.copyOf(holders, used * 2);
            }
            free = used++;
        }
        holders[free] = new WeakReference<>(thread);
        return free;
    }

    /** Frees the index of every ended or collected thread; the lowest freed, or -1. */
    private static int reclaimLowest() {
        int lowest = -1;
        for (int i = 0; i < used; i++) {
            Thread holder = holders[i] == null ? null : holders[i].get();
            if (holders[i] != null && (holder == null || !holder.isAlive())) {
                holders[i] = null;
                lowest = lowest < 0 ? i : lowest;
            }
        }
        return lowest;
    }

    @SuppressWarnings("unchecked")
    private static WeakReference<Thread>[] newArray(int length) {
        return (WeakReference<Thread>[]) new WeakReference<?>[length];
    }
}
