package io.carrierid;

import java.util.ArrayList;
import java.util.List;

/**
 * Where initialisation's time went: named phases, each the microseconds since the
 * previous mark, starting when a caller asked for the decision. For {@code --dump}
 * and scripts/bench (the first-call table in docs/bench), so that the cost of each
 * step is measured by the library on every JVM, not guessed.
 */
final class Timeline {
    /** One phase: {@code name} took {@code micros}. */
    record Phase(String name, long micros) {}

    // Arrays, not a list of Phase: one class fewer to load while the first caller waits.
    private String[] names = new String[12];
    private long[] micros = new long[12];
    private int count;
    private long last;

    /** Starts the clock now. */
    Timeline() {
        this(System.nanoTime());
    }

    /** Starts the clock at {@code start} (a System.nanoTime()). */
    Timeline(long start) {
        last = start;
    }

    /** Ends phase {@code name} now. */
    synchronized void mark(String name) {
        long now = System.nanoTime();
        if (count == names.length) {
            names = java.util.Arrays.copyOf(names, count * 2);
            micros = java.util.Arrays.copyOf(micros, count * 2);
        }
        names[count] = name;
        micros[count++] = (now - last) / 1_000;
        last = now;
    }

    synchronized List<Phase> phases() {
        List<Phase> phases = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            phases.add(new Phase(names[i], micros[i]));
        }
        return phases;
    }
}
