package io.carrierid;

import java.lang.invoke.MethodHandle;

/**
 * The JDK-internals path ({@link JdkInternals}) in static finals, so that the JIT inlines the
 * handles and folds the offsets: the carrier ({@link JdkInternals#carrier}: the current thread, or
 * a virtual thread's carrier field), its {@code eetop}, then two loads. Initialised on carrierid-init
 * (see {@link Init}) where {@link Active#INTERNALS}; its initialiser only copies what Setup made and
 * verified, so it cannot fail.
 *
 * <p>Between reading the carrier and the last load the caller runs no blocking point, so a
 * virtual thread stays on that carrier: the carrier is alive and running it, its
 * {@code JavaThread} and {@code OSThread} are too.
 */
final class ActiveInternals {
    private static final MethodHandle CURRENT_CARRIER = Active.OUTCOME.internals().currentCarrier();
    private static final JdkInternals.MountedCarrier MOUNTED_CARRIER = Active.OUTCOME.internals().mountedCarrier();
    private static final MethodHandle EETOP = Active.OUTCOME.internals().eetop();
    private static final MethodHandle READ_LONG = Active.OUTCOME.internals().readLong();
    private static final MethodHandle READ_INT = Active.OUTCOME.internals().readInt();
    private static final MethodHandle THREAD_LOCAL_GET = Active.OUTCOME.internals().threadLocalGet();
    private static final MethodHandle THREAD_LOCAL_SET = Active.OUTCOME.internals().threadLocalSet();
    /** CarrierLocal may keep its cache in a virtual thread's carrier's map (once virtual threads are served here). */
    static final boolean CARRIER_MAPS = Active.INTERNALS_EVERY_THREAD && THREAD_LOCAL_GET != null;

    private ActiveInternals() {}

    /** The calling OS thread's tid, or -1 where its JavaThread or OSThread is not there (never seen). */
    static long osThreadId() {
        return osThreadIdOf(carrier());
    }

    /**
     * The tid of {@code carrier}, the platform thread running the caller ({@link #carrier()}, read
     * with no blocking point since), or -1 where its JavaThread or OSThread is not there.
     */
    static long osThreadIdOf(Thread carrier) {
        try {
            long javaThread = (long) EETOP.invokeExact(carrier);
            if (javaThread == 0) {
                return -1;
            }
            long osThread = (long) READ_LONG.invokeExact(javaThread + Active.OS_THREAD_OFFSET);
            return osThread == 0 ? -1 : (int) READ_INT.invokeExact(osThread + Active.THREAD_ID_OFFSET);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t); // none of these handles throws a checked exception
        }
    }

    /** The calling OS thread's JavaThread (eetop of the carrier), or 0. */
    static long javaThreadAddress() {
        try {
            return (long) EETOP.invokeExact(carrier());
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The platform thread running the caller: itself, or a virtual thread's carrier. */
    static Thread carrier() {
        try {
            return JdkInternals.carrier(MOUNTED_CARRIER, CURRENT_CARRIER);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * {@code local}'s value in the map of the platform thread running the caller (its carrier):
     * ThreadLocal's own {@code get(Thread)}, as the JDK's CarrierThreadLocal does. Only where {@link #CARRIER_MAPS}.
     */
    static Object carrierLocal(ThreadLocal<?> local) {
        try {
            return (Object) THREAD_LOCAL_GET.invokeExact(local, carrier());
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Sets {@code local}'s value in the carrier's map. Only where {@link #CARRIER_MAPS}. */
    static void setCarrierLocal(ThreadLocal<?> local, Object value) {
        try {
            THREAD_LOCAL_SET.invokeExact(local, carrier(), value);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Initialises this class (on carrierid-init). */
    static void touch() {}
}
