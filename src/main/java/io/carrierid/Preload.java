package io.carrierid;

/**
 * Loads (without initialising) the classes that carrierid-init will need, on a
 * thread of its own that runs beside it: loading a class from a jar costs
 * 0.3-0.6 ms on the 2-core machines measured here, and setup needs some forty,
 * one after the other. Loaded here first, they are found loaded there. It also
 * asks, on 22+, whether native access is enabled ({@link NativeAccess}), which
 * must be asked before the library is loaded and costs milliseconds the first
 * time. Nothing else runs (no carrierid initialiser), and a failure here changes
 * nothing: carrierid-init does whatever it needs itself.
 */
final class Preload implements Runnable {
    @Override
    public void run() {
        try {
            NativeAccess.askBeforeFirstRestrictedCall(); // before System.load, which carrierid-init reaches later
            // In the order setup needs them, the latest first would gain nothing.
            Class<?>[] classes = {
                NativeLibrary.class, NativeLibrary.Loaded.class, Bundled.class, NativeAccess.class, Native.class,
                OffsetTable.class, OffsetTable.Row.class, Offsets.class, JvmVersion.class,
                VmStructs.class, VmStructs.Reading.class, VmStructs.Status.class, OffsetChoice.class,
                TlsProbe.class, TlsProbe.Result.class, Verification.class, Verification.Result.class,
                FreshThread.Task.class, FreshThread.Running.class, FreshThread.NoAnswer.class,
                Downcalls.class, Setup.Outcome.class, Setup.Facts.class, Diagnostics.class, Diagnostics.Path.class,
                Libc.class, Active.class, Threads.class, PlatformIds.class, Dispatch.class, VirtualPath.class,
                Verification.Virtual.class,
                Property.class, Heap.class, Injected.class, Log.class, Diagnostics.Builder.class,
                Diagnostics.Verification.class, Diagnostics.VirtualThreadCheck.class, Diagnostics.Access.class,
            };
            java.lang.ref.Reference.reachabilityFence(classes);
            // Setup's method handles (Threads, and NativeAccess on 22+) are of this shape: a
            // virtual method returning boolean, invoked exactly. The JDK spins the classes
            // behind the first such handle (milliseconds); spun here, they are found spun there.
            java.lang.invoke.MethodHandle handle = java.lang.invoke.MethodHandles.publicLookup().findVirtual(
                    Thread.class, "isDaemon", java.lang.invoke.MethodType.methodType(boolean.class));
            boolean daemon = (boolean) handle.invokeExact(Thread.currentThread());
            java.lang.ref.Reference.reachabilityFence(daemon);
        } catch (Throwable t) {
            // Only a head start: carrierid-init loads what it needs itself.
        }
    }
}
