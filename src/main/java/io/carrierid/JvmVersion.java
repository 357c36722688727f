package io.carrierid;

/**
 * The JVM's version string, as {@code Runtime.version().toString()} gives it
 * ({@code 17.0.15+6-Debian-1deb12u1}), read from the property it is parsed
 * from: {@code Runtime.Version.toString()} joins its parts with a stream and
 * lambdas, whose first use in a JVM costs milliseconds of the first call.
 */
final class JvmVersion {
    private JvmVersion() {}

    static String text() {
        String text = Property.get("java.runtime.version", null);
        return text != null && !text.isEmpty() ? text : Runtime.version().toString();
    }
}
