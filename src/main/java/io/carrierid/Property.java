package io.carrierid;

/**
 * A system property, or {@code otherwise} where it is unset or a SecurityManager refuses
 * to let it be read (JDK 17-23, a policy that grants carrierid nothing): no answer and
 * no report of carrierid's may throw for want of a property.
 */
final class Property {
    private Property() {}

    static String get(String name, String otherwise) {
        try {
            return System.getProperty(name, otherwise);
        } catch (SecurityException e) {
            return otherwise;
        }
    }
}
