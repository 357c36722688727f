package io.carrierid;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.SwitchPoint;

/**
 * Whether the JDK-internals path ({@link ActiveInternals}) serves virtual threads too, as a constant
 * to the JIT: off until {@link VirtualPath} has checked that path from virtual threads and no check
 * can still fail, then on for the JVM's life (a {@link SwitchPoint}: turning it on deoptimises the
 * code that folded it). Read on every call where {@link Active#INTERNALS_EVERY_THREAD}; a volatile
 * field read instead kept the JIT from folding the dispatch and from hoisting the loads after it
 * (JMH on 25, java.lang open, alternating runs: a virtual thread's javaThreadAddress() 0.56-0.68 ns, 0.80-0.95 before).
 *
 * <p>Initialised on carrierid-init ({@link Init}), only where {@link Active#INTERNALS_EVERY_THREAD}.
 * Where the switch cannot be made (an Error there), it stays off: virtual threads are then served
 * the way they are without java.lang open, rather than this class left unusable for the JVM's life.
 */
final class InternalsSwitch {
    /** Valid while the switch is off; null where it could not be made. */
    private static final SwitchPoint OFF = switchPoint();
    /** ()boolean: false while {@link #OFF} is valid, then true; null where it could not be made. */
    private static final MethodHandle ON = OFF == null ? null : guard(OFF);

    private InternalsSwitch() {}

    /** True once turned on. */
    static boolean on() {
        if (ON == null) {
            return false;
        }
        try {
            return (boolean) ON.invokeExact();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t); // two constants: never
        }
    }

    /** Turns the switch on, for good; where that fails (no memory), it stays off. */
    static void turnOn() {
        if (ON != null) {
            try {
                SwitchPoint.invalidateAll(new SwitchPoint[] {OFF});
            } catch (Throwable t) {
                FreshThread.rethrowIfThreadDeath(t); // off: virtual threads keep their other path
            }
        }
    }

    private static SwitchPoint switchPoint() {
        try {
            return new SwitchPoint();
        } catch (Throwable t) {
            return null;
        }
    }

    private static MethodHandle guard(SwitchPoint off) {
        try {
            MethodHandle guarded = off.guardWithTest(MethodHandles.constant(boolean.class, false),
                    MethodHandles.constant(boolean.class, true));
            boolean now = (boolean) guarded.invokeExact(); // its forms made here, on carrierid-init, not at a call
            return now ? null : guarded;
        } catch (Throwable t) {
            return null;
        }
    }

    /** Initialises this class (on carrierid-init). */
    static void touch() {}
}
