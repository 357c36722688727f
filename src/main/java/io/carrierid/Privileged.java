package io.carrierid;

import java.security.AccessController;
import java.security.PrivilegedAction;
import java.util.function.Supplier;

/**
 * Runs carrierid's own work with carrierid's own permissions under a JDK 17
 * SecurityManager (reading {@code /proc}, the temporary directory, loading its
 * library), whatever the caller's. Without a SecurityManager (and on JDK 24+,
 * where there is none) this just runs the work.
 */
final class Privileged {
    private Privileged() {}

    @SuppressWarnings("removal") // AccessController: needed on 17-23 under a SecurityManager
    static <T> T run(Supplier<T> work) {
        return AccessController.doPrivileged(new Action<>(work));
    }

    /** A class, not a lambda: see Init. */
    private static final class Action<T> implements PrivilegedAction<T> {
        private final Supplier<T> work;

        Action(Supplier<T> work) {
            this.work = work;
        }

        @Override
        public T run() {
            return work.get();
        }
    }
}
