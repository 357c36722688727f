package io.carrierid;

import java.lang.reflect.Method;

/**
 * Native access (JEP 472): what the JVM allows carrierid's module, and which
 * flag or manifest line fits the way carrierid was loaded. On JDK 22+ loading a
 * library and FFM downcalls are restricted: without native access enabled for
 * the module that makes them, JDK 24+ warns (the default) or refuses
 * ({@code --illegal-native-access=deny}).
 */
final class NativeAccess {
    private NativeAccess() {}

    /** carrierid's module name, or null when its classes are in the unnamed module (class path, shaded jars). */
    static String moduleName() {
        return NativeAccess.class.getModule().getName();
    }

    /** What to pass for carrierid's module: {@code ALL-UNNAMED} or the module's name. */
    static String flagValue() {
        String name = moduleName();
        return name == null ? "ALL-UNNAMED" : name;
    }

    /** The fix, in words, for the way carrierid was loaded. */
    static String advice() {
        String name = moduleName();
        if (name == null) {
            return "run with --enable-native-access=ALL-UNNAMED (an executable jar may say "
                    + "'Enable-Native-Access: ALL-UNNAMED' in its manifest instead)";
        }
        return "run with --enable-native-access=" + name + " (carrierid is the named module " + name + ")";
    }

    /** True, false, or null before JDK 22 (no such notion) or when it cannot be asked. */
    static Boolean enabled() {
        if (Runtime.version().feature() < 22) {
            return null;
        }
        try {
            Method method = Module.class.getMethod("isNativeAccessEnabled");
            return (Boolean) method.invoke(NativeAccess.class.getModule());
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** The report line: enabled, or not (the JVM warns or refuses), with the fix. */
    static String describe(boolean refused) {
        Boolean enabled = enabled();
        String who = moduleName() == null ? "the unnamed module (class path)" : "module " + moduleName();
        if (enabled == null) {
            return "not restricted on this JDK";
        }
        if (enabled) {
            return "enabled for " + who;
        }
        return (refused ? "DENIED to " : "not enabled for ") + who + (refused ? "" : " (JDK 24+ warns)") + ": " + advice();
    }

    /** Why loading failed when System.load threw IllegalCallerException. */
    static String denied(RuntimeException e) {
        return "native access is denied to " + (moduleName() == null ? "the unnamed module" : "module " + moduleName())
                + " (--illegal-native-access=deny): " + advice() + " [" + e.getMessage() + "]";
    }
}
