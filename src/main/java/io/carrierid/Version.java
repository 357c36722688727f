package io.carrierid;

/** carrierid's own version, from the jar manifest when there is one. */
final class Version {
    static final String VERSION = find();

    private Version() {}

    private static String find() {
        String version = Version.class.getPackage().getImplementationVersion();
        return version != null ? version : "(development build)";
    }
}
