package io.carrierid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * Independent truths for the tests, none of them through carrierid's code:
 * the kernel's /proc for tids, the JDK's own private fields (through
 * reflection, opened by --add-opens java.base/java.lang) for JavaThread
 * addresses, and the JDK's virtual-thread API, reached reflectively because
 * the tests compile for 17.
 */
final class Truth {
    private static final Field EETOP = field(Thread.class, "eetop");
    private static final Field TID = field(Thread.class, "tid");
    /**
     * Looked up once, on first use (not in Truth's initialiser: some tests use Truth where no thread
     * can be started), so that a check makes no reflective lookup, which could block.
     */
    private static final class Reflected {
        /**
         * Thread.currentCarrierThread() (21+): the JVM's own answer (JavaThread::_threadObj), not the
         * VirtualThread.carrierThread field that carrierid reads where java.lang is open.
         */
        static final Method CURRENT_CARRIER_THREAD = hasVirtualThreads() ? currentCarrierThreadMethod() : null;
        static final Method IS_VIRTUAL = hasVirtualThreads() ? isVirtualMethod() : null;
    }

    private Truth() {}

    private static Method currentCarrierThreadMethod() {
        try {
            Method m = Thread.class.getDeclaredMethod("currentCarrierThread");
            m.setAccessible(true);
            m.invoke(null); // its accessor made here, once: a check's own invoke then has nothing to make (or block on)
            return m;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static Method isVirtualMethod() {
        try {
            return Thread.class.getMethod("isVirtual");
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }

    /** The calling thread's tid, as the kernel names it in /proc/thread-self -> {@code <pid>/task/<tid>}. */
    static long kernelTid() {
        if ("gettid".equals(System.getenv("CARRIERID_TRUTH"))) {
            return gettid(); // in a PID namespace with the host's /proc, /proc names the host's numbers
        }
        try {
            String target = Files.readSymbolicLink(Paths.get("/proc/thread-self")).toString();
            return Long.parseLong(target.substring(target.lastIndexOf('/') + 1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The gettid syscall: through libcarrierid's plain syscall(SYS_gettid) when loaded, else FFM (22+). */
    /**
     * The OS thread the caller is on, by a call that cannot block (the gettid syscall): what tests read
     * before and after a check to see whether the thread moved to another carrier during it.
     */
    static long osThreadNow() {
        return Init.library() == Init.LIBRARY_LOADED || GETTID != null ? gettid() : kernelTid();
    }

    static long gettid() {
        if (Init.library() == Init.LIBRARY_LOADED) {
            return Native.gettid();
        }
        try {
            return (int) GETTID.invokeExact();
        } catch (Throwable t) {
            throw new AssertionError("no gettid for the truth", t);
        }
    }

    private static final java.lang.invoke.MethodHandle GETTID = ffmGettid();

    private static java.lang.invoke.MethodHandle ffmGettid() {
        try {
            return Downcalls.available() ? Downcalls.find("gettid", false, false, int.class) : null;
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    /** True when /proc/self/task lists this tid as a thread of this process. */
    static boolean isTaskOfThisProcess(long tid) {
        return Files.isDirectory(Paths.get("/proc/self/task/" + tid));
    }

    /** {@code Thread.eetop}: HotSpot's JavaThread* for a live platform thread. */
    static long eetop(Thread thread) {
        try {
            return EETOP.getLong(thread);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    /** The thread's Java id as the JDK keeps it: its private field {@code tid} (what getId() returns unless overridden). */
    static long javaThreadId(Thread thread) {
        try {
            return TID.getLong(thread);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    static boolean hasVirtualThreads() {
        return Runtime.version().feature() >= 21;
    }

    static Thread startVirtualThread(Runnable task) {
        try {
            Method start = Thread.class.getMethod("startVirtualThread", Runnable.class);
            return (Thread) start.invoke(null, task);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    static Thread unstartedVirtualThread(Runnable task) {
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            return (Thread) Class.forName("java.lang.Thread$Builder").getMethod("unstarted", Runnable.class)
                    .invoke(builder, task);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * An unstarted virtual thread whose carriers are the threads of {@code scheduler}
     * (java.lang.ThreadBuilders.VirtualThreadBuilder(Executor), package-private in 21 and 25:
     * needs java.lang open, as the test JVMs have it); null where that constructor is not there.
     */
    static Thread virtualThreadOn(java.util.concurrent.Executor scheduler, Runnable task) {
        try {
            java.lang.reflect.Constructor<?> make = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder")
                    .getDeclaredConstructor(java.util.concurrent.Executor.class);
            make.setAccessible(true);
            Object builder = make.newInstance(scheduler);
            return (Thread) Class.forName("java.lang.Thread$Builder").getMethod("unstarted", Runnable.class)
                    .invoke(builder, task);
        } catch (NoSuchMethodException | ClassNotFoundException e) {
            return null;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    static boolean isVirtual(Thread thread) {
        if (!hasVirtualThreads()) {
            return false;
        }
        try {
            return (boolean) Reflected.IS_VIRTUAL.invoke(thread);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The carrier now running the calling virtual thread (Thread.currentCarrierThread(), the JVM's
     * own); the thread itself where it is bound to an OS thread of its own (-XX:-VMContinuations:
     * a ThreadBuilders$BoundVirtualThread, no VirtualThread) or is a platform thread.
     */
    static Thread currentCarrier() {
        try {
            return (Thread) Reflected.CURRENT_CARRIER_THREAD.invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static Field field(Class<?> owner, String name) {
        try {
            Field f = owner.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new AssertionError(e);
        }
    }
}
