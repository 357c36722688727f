package io.carrierid;

import java.lang.reflect.Field;

/**
 * A virtual thread's carrier by reflection, for JVMs where libcarrierid cannot
 * be loaded. Works only when java.base opens java.lang to carrierid.
 */
final class ReflectiveCarrier {
    private static final Field CARRIER_THREAD;
    /** Why the field is not to be had (empty when it is). */
    private static final String PROBLEM;

    static {
        Field field = null;
        String problem = "";
        try {
            field = Class.forName("java.lang.VirtualThread").getDeclaredField("carrierThread");
            field.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            field = null;
            problem = e.toString();
        }
        CARRIER_THREAD = field;
        PROBLEM = problem;
    }

    private ReflectiveCarrier() {}

    static Thread of(Thread virtualThread) {
        if (CARRIER_THREAD == null) {
            throw new UnsupportedOperationException("carrierid cannot name a virtual thread's carrier here: "
                    + "the native library is not loaded (" + Carrier.diagnostics().nativeLibrary()
                    + ") and reflection is refused (" + PROBLEM
                    + "); add --add-opens java.base/java.lang=ALL-UNNAMED");
        }
        try {
            // Called on the virtual thread itself, which is mounted while it runs this.
            return (Thread) CARRIER_THREAD.get(virtualThread);
        } catch (IllegalAccessException e) {
            throw new UnsupportedOperationException(e);
        }
    }
}
