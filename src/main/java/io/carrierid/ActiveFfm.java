package io.carrierid;

import java.lang.invoke.MethodHandle;

/**
 * The fast path as FFM critical downcalls (JDK 22+), for virtual threads.
 * Initialised on a thread of its own (carrierid-ffm, started by the first call
 * from a virtual thread, see {@link VirtualPath}): setting FFM up costs tens
 * of milliseconds, which no caller waits for and a program that never calls from
 * a virtual thread never pays. JNI serves until then. If the downcalls do not
 * give JNI's answers, JNI goes on serving and a System.Logger warning says why.
 */
final class ActiveFfm {
    static final FfmFastPath.Handles HANDLES = create();
    /** (long,long,long)long and (long)long; null: JNI serves. */
    static final MethodHandle OS_THREAD_ID = HANDLES.osThreadId();
    static final MethodHandle JAVA_THREAD = HANDLES.javaThread();

    private ActiveFfm() {}

    /**
     * The handles {@link VirtualPath} set up and checked before it first touched this class (retried
     * there after an Error): this initialiser makes nothing, so it cannot fail and keep a failure.
     */
    private static FfmFastPath.Handles create() {
        FfmFastPath.Handles staged = VirtualPath.stagedFfm();
        return staged != null ? staged : VirtualPath.FFM_NOT_USED;
    }

    /** How virtual threads are served now, in words, for reports. */
    static String describe() {
        if (!Active.FFM_POSSIBLE) {
            return "JNI";
        }
        if (VirtualPath.peek() != VirtualPath.FFM) {
            return "JNI (FFM critical downcalls not set up yet: they are, on a thread of their own, after the first call from a virtual thread)";
        }
        return OS_THREAD_ID != null ? "FFM critical downcalls (checked against JNI, eetop and gettid)"
                : "JNI (" + HANDLES.problem() + ")";
    }
}
