package io.carrierid;

import java.util.ArrayList;
import java.util.List;

/**
 * The check that gates the fast path: on the loading thread (when it is a
 * platform thread), on {@value #FRESH_THREADS} freshly started platform
 * threads, and on a thread HotSpot did not start (a pthread libcarrierid makes
 * and attaches through JNI: a slot right only on threads HotSpot started is
 * pthread_create's argument, not HotSpot's key), the walk from the TLS slot must
 * give this thread's eetop and the tid the kernel's gettid gives, read with
 * fault-safe reads (verify.c). One failure anywhere disables the fast path.
 * A platform caller's own ids never come from the walk ({@link PlatformIds});
 * a virtual caller's carrier is checked at its first call ({@link VirtualPath}).
 */
final class Verification {
    static final int FRESH_THREADS = 3;

    /** {@code threads} is how many threads passed; {@code failure} is empty when all did. */
    record Result(int threads, String failure) {
        boolean passed() {
            return failure.isEmpty();
        }
    }

    private Verification() {}

    static Result run(long slot, Offsets offsets) {
        int passed = 0;
        if (hasJavaThread()) {
            String failure = verifyHere(slot, offsets);
            if (!failure.isEmpty()) {
                return new Result(passed, "on the loading thread: " + failure);
            }
            passed++;
        }
        // Started together, answered in order: the threads' start-up overlaps (on the first call's path).
        List<FreshThread.Running<String>> fresh = new ArrayList<>(FRESH_THREADS);
        for (int i = 0; i < FRESH_THREADS; i++) {
            fresh.add(FreshThread.start("carrierid-verify-" + i, new FreshThread.Task<String>() {
                @Override
                String call() {
                    return verifyHere(slot, offsets);
                }
            }));
        }
        for (FreshThread.Running<String> running : fresh) {
            String failure = running.answer();
            if (!failure.isEmpty()) {
                return new Result(passed, "on a fresh thread: " + failure);
            }
            passed++;
        }
        long[] seen = Native.verifyOnNativeThread(slot, offsets.osThread(), offsets.threadId());
        if (seen[Native.VERIFY_CODE] == Native.VERIFY_NO_NATIVE_THREAD
                || seen[Native.VERIFY_CODE] == Native.VERIFY_ATTACH_FAILED) {
            // Short of threads or memory, as when a fresh thread cannot start: a transient failure (Setup).
            throw new OutOfMemoryError("carrierid: no native thread to verify on: " + explain(seen));
        }
        String failure = explain(seen);
        if (!failure.isEmpty()) {
            return new Result(passed, "on a thread HotSpot did not start (JNI-attached): " + failure);
        }
        return new Result(passed + 1, "");
    }

    /**
     * Empty when the JDK-internals path ({@link JdkInternals}) gives gettid's tid and the TLS walk's
     * JavaThread here (carrierid-init) and on two fresh threads; else where it did not.
     */
    static String internals(JdkInternals.Handles handles, long slot, Offsets offsets) throws Throwable {
        String failure = JdkInternals.verifyHere(handles, offsets, slot);
        for (int i = 0; failure.isEmpty() && i < 2; i++) {
            failure = FreshThread.call("carrierid-verify-internals-" + i, new FreshThread.Task<String>() {
                @Override
                String call() {
                    try {
                        return JdkInternals.verifyHere(handles, offsets, slot);
                    } catch (RuntimeException | Error e) {
                        throw e;
                    } catch (Throwable t) {
                        throw new IllegalStateException(t);
                    }
                }
            });
        }
        return failure;
    }

    /**
     * How the virtual-thread check went ({@link VirtualPath} runs it, at the first call from a virtual
     * thread); {@code detail}: what failed, or why it did not run.
     */
    record Virtual(Diagnostics.VirtualThreadCheck status, String detail) {
        static final Virtual PASSED = new Virtual(Diagnostics.VirtualThreadCheck.PASSED, "");
        static final Virtual NOT_APPLICABLE = new Virtual(Diagnostics.VirtualThreadCheck.NOT_APPLICABLE,
                "not applicable on this JDK (no JavaThread::_monitor_owner_id)");
        static final Virtual NOT_RUN = new Virtual(Diagnostics.VirtualThreadCheck.NOT_RUN, "not run yet: no virtual thread has called since initialisation");

        static Virtual failed(String detail) {
            return new Virtual(Diagnostics.VirtualThreadCheck.FAILED, detail);
        }
    }

    /**
     * On a virtual thread: the walk from the TLS slot must reach the carrier whose
     * {@code _monitor_owner_id} is this virtual thread's {@code threadId()} (JDK 24+;
     * before, where the JDK has no such field, not applicable). One JNI call, during
     * which the thread stays on its carrier; fault-safe reads.
     */
    @SuppressWarnings("deprecation") // getId() is threadId() on 19+, and compiles for 17
    static Virtual checkVirtualHere(long slot, Offsets offsets) {
        if (!offsets.hasMonitorOwnerId()) {
            return Virtual.NOT_APPLICABLE;
        }
        long expected = Thread.currentThread().getId();
        long[] seen = Native.monitorOwnerIdHere(slot, offsets.monitorOwnerId());
        if (seen[0] != 1) {
            return Virtual.failed("JavaThread::_monitor_owner_id cannot be read from a virtual thread");
        }
        if (seen[1] != expected) {
            return Virtual.failed("from virtual thread #" + expected + " the walk reads _monitor_owner_id " + seen[1]);
        }
        return Virtual.PASSED;
    }

    /** True when the calling thread is a started platform thread (virtual threads have no eetop). */
    static boolean hasJavaThread() {
        return Native.eetop(Thread.currentThread()) != 0;
    }

    private static String verifyHere(long slot, Offsets offsets) {
        long[] seen = Native.verifyHere(Thread.currentThread(), slot, offsets.osThread(), offsets.threadId());
        return explain(seen);
    }

    static String explain(long[] seen) {
        long eetop = seen[Native.VERIFY_EETOP];
        long tls = seen[Native.VERIFY_TLS_VALUE];
        long gettid = seen[Native.VERIFY_GETTID];
        long walked = seen[Native.VERIFY_WALKED_TID];
        switch ((int) seen[Native.VERIFY_CODE]) {
            case Native.VERIFY_OK: return "";
            case Native.VERIFY_NOT_PLATFORM_THREAD: return "the thread has no eetop";
            case Native.VERIFY_TLS_UNREADABLE: return "the TLS slot cannot be read";
            case Native.VERIFY_TLS_MISMATCH: return "the TLS slot holds " + Offsets.hex(tls) + ", eetop is " + Offsets.hex(eetop);
            case Native.VERIFY_OSTHREAD_UNREADABLE: return "JavaThread::_osthread cannot be read at that offset";
            case Native.VERIFY_TID_UNREADABLE: return "OSThread::_thread_id cannot be read at that offset";
            case Native.VERIFY_TID_MISMATCH: return "the walk gives tid " + walked + ", gettid gives " + gettid;
            case Native.VERIFY_FAST_PATH_DIFFERS: return "the fast routine disagrees with the checked walk";
            case Native.VERIFY_ATTACH_FAILED: return "JNI AttachCurrentThread failed";
            case Native.VERIFY_NO_NATIVE_THREAD: return "pthread_create failed with errno " + gettid;
            default: return "unknown verification result " + seen[Native.VERIFY_CODE];
        }
    }
}
