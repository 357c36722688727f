package io.carrierid;

/**
 * A test seam for "an Error at initialisation bricks nothing": with
 * {@code -Dcarrierid.inject.error=<point>[,<point>...]} the named points each throw one
 * {@code OutOfMemoryError}, the first time they are passed. The points are where carrierid
 * first makes something that it then keeps: {@code setup} (carrierid-init's decision),
 * {@code prepare} (just before the dispatch classes are initialised), {@code warmup} (just
 * before CarrierKeys and CarrierValues are), {@code ffm} (the FFM downcalls for virtual threads, on carrierid-ffm),
 * {@code version} and {@code reflective} (lazies made on a caller's stack). Passed only on
 * initialisation paths, never on a hot one.
 */
final class Injected {
    static final String PROPERTY = "carrierid.inject.error";

    /** The points still to fail, as ",a,b,"; null until the property is read. Guarded by Injected.class. */
    private static String pending;

    private Injected() {}

    static void error(String point) {
        if (fails(point)) {
            throw new OutOfMemoryError("carrierid: injected at " + point + " (-D" + PROPERTY + ")");
        }
    }

    private static synchronized boolean fails(String point) {
        if (pending == null) {
            pending = "," + Property.get(PROPERTY, "").replace(" ", "") + ",";
        }
        String name = "," + point + ",";
        if (!pending.contains(name)) {
            return false;
        }
        pending = pending.replace(name, ",");
        return true;
    }
}
