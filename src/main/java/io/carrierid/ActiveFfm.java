package io.carrierid;

import java.lang.invoke.MethodHandle;

/**
 * The fast path as FFM critical downcalls (JDK 22+), for virtual threads.
 * Set up when this class initialises: on the first uncached call, which only a
 * virtual thread makes (platform threads are served from their cache, filled
 * through JNI). Setting FFM up costs tens of milliseconds, which a program that
 * never calls from a virtual thread does not pay. If the downcalls do not give
 * JNI's answers, JNI serves and a System.Logger warning says why.
 */
final class ActiveFfm {
    static final FfmFastPath.Handles HANDLES = create();
    /** (long,long,long)long and (long)long; null: JNI serves. */
    static final MethodHandle OS_THREAD_ID = HANDLES.osThreadId();
    static final MethodHandle JAVA_THREAD = HANDLES.javaThread();

    private ActiveFfm() {}

    private static FfmFastPath.Handles create() {
        if (!Active.FAST || !Downcalls.available()) {
            return new FfmFastPath.Handles(null, null, "not used");
        }
        FfmFastPath.Handles handles = FfmFastPath.create(Active.SLOT, Active.OUTCOME.offsets());
        if (handles.osThreadId() == null) {
            System.getLogger("io.carrierid").log(System.Logger.Level.WARNING,
                    "carrierid: " + handles.problem() + "; JNI serves virtual threads");
        }
        return handles;
    }

    /** How the fast path is called now, in words, for reports. */
    static String describe() {
        return OS_THREAD_ID != null ? "FFM critical downcalls (checked against JNI, eetop and gettid)"
                : "JNI (" + HANDLES.problem() + ")";
    }
}
