package io.carrierid;

import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The least a leak-free per-thread cache of a shared, updatable cell can do, written plainly with
 * the JDK alone: the floor that {@code CarrierLocal.get()} on a platform thread is measured against
 * next to {@code ThreadLocal.get()} ({@link IdBenchmark#floor_weakCell_get}).
 *
 * <p>A carrier's value must be one cell that every thread running on that carrier sees (its own
 * platform code and the virtual threads it mounts): so a thread's cache holds the cell, not the
 * value, and reads the value through it (one load). A long-lived thread's map must not keep the
 * cell (and through it the value, its class and an undeployed application's class loader) alive:
 * so the cache holds it through a {@link WeakReference} (one load, the referent), while the owner
 * ({@link #cells} here, carrierid's carrier tables there) holds it strongly. With the owner's
 * field that names the {@link ThreadLocal} (one load) that makes three dependent loads on top of
 * {@code ThreadLocal.get()}.
 */
final class WeakCellCache {
    private static final Object ABSENT = new Object();

    private static final class Cell {
        Object value;

        Cell(Object value) {
            this.value = value;
        }
    }

    private final ThreadLocal<WeakReference<Cell>> cached = new ThreadLocal<>();
    /** The strong owner of every thread's cell (never shrinks: a benchmark's few threads). */
    private final ConcurrentHashMap<Thread, Cell> cells = new ConcurrentHashMap<>();
    private final Object initial;

    WeakCellCache(Object initial) {
        this.initial = initial;
    }

    Object get() {
        WeakReference<Cell> ref = cached.get();
        Cell cell = ref != null ? ref.get() : null;
        if (cell != null) {
            Object value = cell.value;
            if (value != ABSENT) {
                return value;
            }
        }
        return getSlow();
    }

    private Object getSlow() {
        Cell cell = cells.computeIfAbsent(Thread.currentThread(), t -> new Cell(initial));
        cached.set(new WeakReference<>(cell));
        return cell.value;
    }
}
