package io.carrierid;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;

/**
 * A flag that starts off and, once turned on, stays on for the JVM's life, read by the JIT as a
 * constant: the target of a {@link MutableCallSite}, which the JIT folds (and whose change
 * deoptimises the code that folded it), compared with the one it starts with. For what the
 * dispatch asks on every call and what changes once ({@link Switches}); a volatile read there kept
 * the JIT from folding the dispatch and from hoisting the loads after it (JMH on 25, java.lang open,
 * alternating runs: a virtual thread's javaThreadAddress() 0.56-0.68 ns, 0.80-0.95 through a volatile).
 * The targets are never called, only told apart: no method handle form is spun for this (a
 * {@code SwitchPoint}'s guard cost carrierid-init 10-12 ms on 25; two of these, with their classes
 * loaded, under 1 ms).
 *
 * <p>A record, kept in a static final: the JIT trusts a record's fields. Where it cannot be made
 * (an Error), it is off for good ({@link #OFF}): the callers then keep the way they take while it
 * is off, rather than a class left unusable for the JVM's life. Read stale (off) by a thread that
 * has not seen it turned on, it only sends that caller the way it took before: never a wrong answer.
 *
 * @param site      its target is {@code offTarget} while the switch is off; null where it could not be made
 * @param offTarget the target it starts with
 * @param onTarget  the target once on
 */
record OneWaySwitch(MutableCallSite site, MethodHandle offTarget, MethodHandle onTarget) {
    /** Off for good. */
    static final OneWaySwitch OFF = new OneWaySwitch(null, null, null);

    /** A new switch, off; {@link #OFF} where it cannot be made. */
    static OneWaySwitch make() {
        try {
            // Two handles of one type, never called, only told apart: final methods of Thread, of the shape
            // of isVirtual()'s (Threads), which carrierid has made by now, so that nothing is spun here (a
            // handle of a new shape cost about 1 ms on carrierid-init, on 25).
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            MethodType type = MethodType.methodType(boolean.class);
            MethodHandle off = lookup.findVirtual(Thread.class, "isDaemon", type);
            MethodHandle on = lookup.findVirtual(Thread.class, "isAlive", type);
            return new OneWaySwitch(new MutableCallSite(off), off, on);
        } catch (Throwable t) {
            FreshThread.rethrowIfThreadDeath(t);
            return OFF;
        }
    }

    /** True once turned on. */
    boolean on() {
        return site != null && site.getTarget() != offTarget;
    }

    /** Turns the switch on, for good; where that fails (no memory), it stays off. */
    void turnOn() {
        if (site != null) {
            try {
                site.setTarget(onTarget);
                MutableCallSite.syncAll(new MutableCallSite[] {site});
            } catch (Throwable t) {
                FreshThread.rethrowIfThreadDeath(t); // off: the callers keep the way they take while it is
            }
        }
    }
}
