package io.carrierid;

import java.lang.reflect.Field;

/**
 * A virtual thread's carrier by reflection, for JVMs where libcarrierid cannot
 * be loaded. Works only when java.base opens java.lang to carrierid. The field
 * is looked up at first use, on some caller's stack: no static initialiser (one
 * that failed for want of stack or heap would leave this class unusable for
 * good); a refusal is kept, an Error is not.
 */
final class ReflectiveCarrier {
    /** VirtualThread.carrierThread, made accessible; null until looked up, or where refused. */
    private static volatile Field carrierThread;
    /** Why the field is not to be had (empty when it is); null until looked up. */
    private static volatile String problem;

    private ReflectiveCarrier() {}

    static Thread of(Thread virtualThread) {
        if (problem == null) {
            lookUp();
        }
        Field field = carrierThread;
        if (field == null) {
            throw new UnsupportedOperationException("carrierid cannot name a virtual thread's carrier here: "
                    + "the native library is not loaded (see Carrier.diagnostics())"
                    + " and reflection is refused (" + problem
                    + "); add --add-opens java.base/java.lang=ALL-UNNAMED");
        }
        try {
            // Called on the virtual thread itself, which is mounted while it runs this.
            return (Thread) field.get(virtualThread);
        } catch (IllegalAccessException e) {
            throw new UnsupportedOperationException(e);
        }
    }

    private static synchronized void lookUp() {
        if (problem != null) {
            return;
        }
        Injected.error("reflective");
        try {
            Field field = Class.forName("java.lang.VirtualThread").getDeclaredField("carrierThread");
            field.setAccessible(true);
            carrierThread = field;
            problem = "";
        } catch (ReflectiveOperationException | RuntimeException e) {
            problem = e.toString();
        }
    }
}
