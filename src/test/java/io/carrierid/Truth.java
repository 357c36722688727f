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

    private Truth() {}

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

    static boolean isVirtual(Thread thread) {
        try {
            return (boolean) Thread.class.getMethod("isVirtual").invoke(thread);
        } catch (NoSuchMethodException e) {
            return false;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** The carrier now running the calling virtual thread (java.lang.VirtualThread.carrierThread). */
    static Thread currentCarrier() {
        try {
            Class<?> virtualThread = Class.forName("java.lang.VirtualThread");
            return (Thread) field(virtualThread, "carrierThread").get(Thread.currentThread());
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
