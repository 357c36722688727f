package io.carrierid;

/**
 * The decision, made once when this class initialises (the JVM guarantees
 * exactly once, with concurrent first callers waiting for it) and held in
 * static finals so that the JIT folds the dispatch in {@link Carrier}.
 */
final class Active {
    static final Setup.Outcome OUTCOME = Setup.run();

    static final boolean FAST = OUTCOME.diagnostics().fastPath();
    static final boolean PROC = OUTCOME.diagnostics().path() == Diagnostics.Path.PORTABLE_PROC;
    static final boolean NATIVE_LOADED = OUTCOME.nativeLoaded();
    static final long SLOT = OUTCOME.slot();
    static final long OS_THREAD_OFFSET = FAST ? OUTCOME.offsets().osThread() : -1;
    static final long THREAD_ID_OFFSET = FAST ? OUTCOME.offsets().threadId() : -1;


    private Active() {}
}
