package io.carrierid;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

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

    /** The fix, in words, for the way carrierid was loaded. */
    static String advice() {
        String name = moduleName();
        if (name == null) {
            return "run with --enable-native-access=ALL-UNNAMED (an executable jar may say "
                    + "'Enable-Native-Access: ALL-UNNAMED' in its manifest instead)";
        }
        return "run with --enable-native-access=" + name + " (carrierid is the named module " + name + ")";
    }

    /**
     * What the JVM allowed before carrierid's first restricted call (JDK 24+ marks a module
     * enabled once it has warned about it, so asking afterwards would always say yes);
     * recorded before {@code System.load} (see {@link #askBeforeFirstRestrictedCall()}). Guarded by
     * NativeAccess.class.
     */
    private static Boolean before;
    private static boolean asked;
    /** System.load was refused for want of native access ({@link #denied}). Written on carrierid-init. */
    private static boolean refused;

    /**
     * Records what the JVM allows now; called just before the first restricted call, and
     * earlier by {@link Preload} (on 22+ the question costs milliseconds of method-handle
     * set-up, better spent beside carrierid-init than on its way). Synchronized: whoever
     * asks second finds the first one's answer.
     */
    static synchronized void askBeforeFirstRestrictedCall() {
        if (!asked) {
            before = enabledNow();
            asked = true;
        }
    }

    /** True, false, or null before JDK 22 (no such notion) or when it cannot be asked. */
    static synchronized Boolean enabled() {
        return asked ? before : enabledNow();
    }

    private static Boolean enabledNow() {
        if (Runtime.version().feature() < 22) {
            return null;
        }
        try { // a method handle, not Method.invoke: core reflection spins more classes on 22+
            MethodHandle handle = MethodHandles.publicLookup().findVirtual(Module.class, "isNativeAccessEnabled",
                    MethodType.methodType(boolean.class));
            return (boolean) handle.invokeExact(NativeAccess.class.getModule());
        } catch (Throwable t) { // no such method, or no memory: not to be known
            return null;
        }
    }

    /** The report line: enabled, or not (the JVM warns or refuses), with the fix. */
    static String describe() {
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

    /** The same as {@link #describe()}, as the report's enum. */
    static Diagnostics.Access state() {
        Boolean enabled = enabled();
        if (enabled == null) {
            return Diagnostics.Access.NOT_RESTRICTED;
        }
        if (enabled) {
            return Diagnostics.Access.ENABLED;
        }
        return refused ? Diagnostics.Access.DENIED : Diagnostics.Access.NOT_ENABLED;
    }

    /** Why loading failed when System.load threw IllegalCallerException. */
    static String denied(RuntimeException e) {
        refused = true;
        return "native access is denied to " + (moduleName() == null ? "the unnamed module" : "module " + moduleName())
                + " (--illegal-native-access=deny): " + advice() + " [" + e.getMessage() + "]";
    }
}
