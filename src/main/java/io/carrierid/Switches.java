package io.carrierid;

/**
 * What the dispatch asks on every call from a virtual thread and what, once settled by
 * {@link VirtualPath}, never changes again, as {@link OneWaySwitch}es the JIT folds. Initialised on
 * carrierid-init ({@link Init}) where either can be turned on, so that they are made there, never at a
 * caller's call; each made only where it can be turned on, else off for good. Read only after the
 * static finals that say so ({@code Active.INTERNALS_EVERY_THREAD} on 21+, {@code Active.FFM_POSSIBLE}),
 * so never initialised elsewhere.
 */
final class Switches {
    /**
     * The JDK-internals path ({@link ActiveInternals}) serves virtual threads too: on once the checks from
     * virtual threads have ended and none failed (VirtualPath's {@code internalsForAll}).
     */
    static final OneWaySwitch INTERNALS = Active.INTERNALS_EVERY_THREAD && Threads.haveVirtualThreads()
            ? OneWaySwitch.make() : OneWaySwitch.OFF;
    /**
     * The FFM critical downcalls serve virtual threads (VirtualPath's mode FFM) for good: on once that mode
     * is set and no check from a virtual thread, which could still fail and set GETTID, is running.
     */
    static final OneWaySwitch FFM = Active.FFM_POSSIBLE ? OneWaySwitch.make() : OneWaySwitch.OFF;

    private Switches() {}

    /** Initialises this class (on carrierid-init). */
    static void touch() {}
}
