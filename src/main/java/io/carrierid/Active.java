package io.carrierid;

/**
 * The published decision ({@link Init}) in static finals, so that the JIT folds
 * the dispatch in {@link Dispatch}. Initialised on carrierid-init just before
 * the decision is published: no caller ever runs this class's initialiser.
 */
final class Active {
    static final Setup.Outcome OUTCOME = Init.staged();

    static final boolean FAST = OUTCOME.diagnostics().fastPath();
    static final Diagnostics.Path PATH = OUTCOME.diagnostics().path();
    static final boolean NATIVE_LOADED = OUTCOME.nativeLoaded();
    static final long SLOT = OUTCOME.slot();
    static final long OS_THREAD_OFFSET = FAST ? OUTCOME.offsets().osThread() : -1;
    static final long THREAD_ID_OFFSET = FAST ? OUTCOME.offsets().threadId() : -1;
    /** FFM critical downcalls may serve virtual threads (22+), once {@link VirtualPath} says so. */
    static final boolean FFM_POSSIBLE = FAST && Downcalls.available();
    /** The ids are read with no native call ({@link ActiveInternals}); virtual threads once {@link VirtualPath} says so. */
    static final boolean INTERNALS = FAST && OUTCOME.internals() != null;
    /** The JDK-internals path may serve virtual threads too (java.lang is open: their carrier can be had). */
    static final boolean INTERNALS_EVERY_THREAD = INTERNALS && OUTCOME.internals().everyThread();

    private Active() {}

    /** Initialises this class (on carrierid-init). */
    static void touch() {}
}
