package io.carrierid;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The virtual-thread API of JDK 21+, reached from code compiled for 17.
 * Initialised on carrierid-init ({@link Init}) before any caller uses it.
 */
final class Threads {
    /** {@code Thread.isVirtual()}, or null before JDK 21. A static final handle: the JIT inlines it. */
    private static final MethodHandle IS_VIRTUAL = handle("isVirtual", MethodType.methodType(boolean.class));
    /** {@code Thread.startVirtualThread(Runnable)}, or null before JDK 21. */
    private static final MethodHandle START_VIRTUAL = staticHandle("startVirtualThread",
            MethodType.methodType(Thread.class, Runnable.class));

    /**
     * Whether java.lang was open to carrierid when this class was initialised (carrierid-init): only then
     * can the JDK-internals path read a virtual thread's carrier with no native call, and so
     * {@link Dispatch#carrierIds()} ever be true (on a later decision, it may be false here and that path
     * chosen: then only the faster look-ups that ask it first are missed). A constant that can be read
     * before the decision is published, when Dispatch cannot be.
     */
    static final boolean JAVA_LANG_OPEN = JdkInternals.javaLangOpen();

    private Threads() {}

    static boolean haveVirtualThreads() {
        return IS_VIRTUAL != null && START_VIRTUAL != null;
    }

    static boolean isVirtual(Thread thread) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(thread);
        } catch (RuntimeException | Error e) {
            throw e; // a StackOverflowError stays one, it is not wrapped
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Starts a virtual thread; only where {@link #haveVirtualThreads()}. */
    static Thread startVirtual(Runnable task) {
        try {
            return (Thread) START_VIRTUAL.invokeExact(task);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static MethodHandle handle(String name, MethodType type) {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, name, type);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    private static MethodHandle staticHandle(String name, MethodType type) {
        try {
            return MethodHandles.publicLookup().findStatic(Thread.class, name, type);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}
