package io.carrierid;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * carrierid's own version, from the resource {@code version.txt} next to this
 * class (written by the build): it travels with the classes wherever they go,
 * into a module, a shaded jar or a relocated package. Read at first use, which
 * may be on a caller's deep stack or with the heap full: no static initialiser
 * (one that failed would leave this class unusable for good), an Error is not
 * kept, and the next use reads again.
 */
final class Version {
    /** Null until read. Racy but idempotent: every reader reads the same resource. */
    private static String version;

    private Version() {}

    static String get() {
        String known = version;
        if (known == null) {
            known = find();
            version = known;
        }
        return known;
    }

    private static String find() {
        Injected.error("version");
        try (InputStream in = Version.class.getResourceAsStream("version.txt")) {
            String found = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            return found.isEmpty() || found.startsWith("$") ? "(development build)" : found;
        } catch (IOException | RuntimeException e) {
            return "(development build)";
        }
    }
}
