package io.carrierid;

import java.security.AccessController;
import java.security.PrivilegedAction;

/**
 * Runs carrierid's own work with carrierid's own permissions under a JDK 17
 * SecurityManager (reading {@code /proc}, the temporary directory, loading its
 * library), whatever the caller's. Without a SecurityManager (and on JDK 24+,
 * where there is none) this just runs the work. The work is a
 * {@code PrivilegedAction} itself (a class, not a lambda: see Init), so that
 * nothing wraps it: setup, on the first call's path, loads one class for this.
 */
final class Privileged {
    private Privileged() {}

    @SuppressWarnings("removal") // AccessController: needed on 17-23 under a SecurityManager
    static <T> T run(PrivilegedAction<T> work) {
        return AccessController.doPrivileged(work);
    }
}
