package io.carrierid;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * carrierid's own version, from the resource {@code version.txt} next to this
 * class (written by the build): it travels with the classes wherever they go,
 * into a module, a shaded jar or a relocated package.
 */
final class Version {
    static final String VERSION = find();

    private Version() {}

    private static String find() {
        try (InputStream in = Version.class.getResourceAsStream("version.txt")) {
            String version = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            return version.isEmpty() || version.startsWith("$") ? "(development build)" : version;
        } catch (IOException | RuntimeException e) {
            return "(development build)";
        }
    }
}
