package io.carrierid;

import java.lang.reflect.Field;

/**
 * A virtual thread's carrier by reflection, for JVMs where libcarrierid cannot
 * be loaded. Works only when java.base opens java.lang to carrierid.
 */
final class ReflectiveCarrier {
    private static final Field CARRIER_THREAD = carrierField();
    private static final String PROBLEM = CARRIER_THREAD == null ? problem() : "";

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

    private static Field carrierField() {
        try {
            Field field = Class.forName("java.lang.VirtualThread").getDeclaredField("carrierThread");
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static String problem() {
        try {
            Class.forName("java.lang.VirtualThread").getDeclaredField("carrierThread").setAccessible(true);
            return "";
        } catch (ReflectiveOperationException | RuntimeException e) {
            return e.toString();
        }
    }
}
