package io.carrierid;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * Which OS thread is running this code, on Linux HotSpot (x86-64 and aarch64,
 * glibc): fast, and never a wrong answer.
 *
 * <p>The first call to any method starts carrierid's initialisation on a thread
 * of its own ({@code carrierid-init}): it loads the native library, chooses
 * HotSpot's field offsets (the bundled table, checked against the JVM's own
 * vmStructs), finds where the current {@code JavaThread*} sits in thread-local
 * storage, and verifies the whole walk against the kernel's {@code gettid} and
 * {@code Thread.eetop} on several threads before trusting it. If any step
 * fails, or the platform is not Linux x86-64 or aarch64 glibc HotSpot, a slower portable
 * path gives the same answers. {@link #diagnostics()} says which path is active
 * and why.
 *
 * <p>{@link #osThreadId()} never waits for that initialisation where the kernel's
 * {@code /proc} is this PID namespace's: until the fast path is published it
 * answers from {@code /proc/thread-self}, or through the native library's
 * {@code gettid} once loaded (exact, slower, never cached); its first call took
 * about 6 ms in a fresh JVM on the 2-core machines measured (docs/bench). The
 * other methods' first call waits for it, at most 5 seconds: for a virtual thread
 * it is a blocking point. {@link #javaThreadAddress()} and {@link #thread()} wait
 * only until the native library is loaded (15-20 ms there), then answer through
 * it (the thread's {@code eetop}, the JDK's current carrier: exact, slower, never
 * cached) until the verified fast path is published moments later; the other
 * methods, and these where the library cannot be loaded, wait for the whole
 * decision (about 10 ms more); {@code osThreadId()} where {@code /proc} cannot
 * answer waits for the library or the decision. Nothing about virtual threads is set up until one calls: the first call
 * from a virtual thread checks the walk from there (one JNI call) and, on JDK 22+,
 * starts setting up the FFM downcalls on a thread of their own. A call that cannot
 * wait for it (one made from code that runs inside it, such as a logging hook, or
 * one that waited in vain) gets the same ids from a slower path, and nothing it
 * gets is cached. If initialisation fails for want of a resource (no memory, no
 * thread to be had, a stack overflow), it is tried again at a later call, never
 * given up for good. Nothing here throws for an unsupported platform; the only
 * exception any method documents for a platform is
 * {@link UnsupportedOperationException} where no way to the kernel tid exists.
 *
 * <p>On JDK 24+ pass {@code --enable-native-access=ALL-UNNAMED} (or the module
 * name) to avoid the JVM's warning about {@code System.load}; an executable jar
 * can say {@code Enable-Native-Access: ALL-UNNAMED} in its manifest instead.
 *
 * <p>All methods are thread-safe and may be called from platform threads,
 * virtual threads and threads attached through JNI.
 *
 * <p>What each method does, by platform ({@link #diagnostics()}{@code .path()} in the last row):
 * <table class="striped">
 * <caption>carrierid by platform</caption>
 * <thead><tr><th>method</th><th>Linux x86-64 or aarch64, glibc, HotSpot</th>
 * <th>Linux without libcarrierid (musl, other architectures, OpenJ9, native access denied), JDK 17-21</th>
 * <th>the same, JDK 22+</th><th>macOS, Windows, any other OS</th></tr></thead>
 * <tbody>
 * <tr><td>{@link #osThreadId()}</td><td>the tid</td><td>the tid (from {@code /proc}; without a
 * usable {@code /proc}: throws {@code UnsupportedOperationException})</td><td>the tid (FFM
 * {@code gettid})</td><td>throws {@code UnsupportedOperationException} naming the OS</td></tr>
 * <tr><td>{@link #osThreadIdAvailable()}</td><td>true</td><td>true (false without {@code /proc})</td>
 * <td>true</td><td>false</td></tr>
 * <tr><td>{@link #javaThreadAddress()}</td><td>the {@code JavaThread*}</td><td>0</td><td>0</td><td>0</td></tr>
 * <tr><td>{@link #thread()}</td><td>the carrier</td><td colspan="3">the carrier, read by reflection
 * on a virtual thread (needs {@code --add-opens java.base/java.lang=ALL-UNNAMED}, else
 * {@code UnsupportedOperationException}); the caller on a platform thread</td></tr>
 * <tr><td>{@link #osThreadIdOf(Thread)} of another thread</td><td>its tid, or empty</td>
 * <td colspan="3">throws {@code UnsupportedOperationException} (of the caller: as {@code osThreadId()})</td></tr>
 * <tr><td>{@link #index()}</td><td>one per carrier</td><td colspan="3">one per carrier, by a slower
 * registry (per virtual thread without {@code --add-opens}); off Linux the same</td></tr>
 * <tr><td>{@link #cpuTimeNanos()}, {@link #cpuTimeNanosOf(Thread)}</td><td>the OS thread's CPU clock</td>
 * <td colspan="3">{@code ThreadMXBean} on the (carrier) platform thread where {@code java.management} is present,
 * else -1 / empty</td></tr>
 * <tr><td>{@link CarrierLocal}</td><td>one value per carrier</td><td colspan="3">one value per thread</td></tr>
 * <tr><td>{@link CarrierPool}</td><td>idle objects per carrier</td><td colspan="3">one shared, bounded pool</td></tr>
 * <tr><td>{@code diagnostics().path()}</td><td>{@code NATIVE} ({@code PORTABLE_JNI} if the fast
 * path fails to verify)</td><td>{@code PORTABLE_PROC} ({@code UNAVAILABLE})</td>
 * <td>{@code PORTABLE_FFM}</td><td>{@code UNAVAILABLE}</td></tr>
 * </tbody></table>
 *
 * <p>Off Linux there is no kernel tid, and carrierid returns no other OS's thread id in its
 * place: an id that means something else is never returned as one.
 */
public final class Carrier {
    private Carrier() {}

    /**
     * The kernel thread id ({@code gettid(2)}) of the OS thread running the caller.
     *
     * <p>This is the {@code nid} of {@code jstack}, the thread shown by
     * {@code top -H} and {@code perf}, the directory {@code /proc/self/task/<tid>},
     * and JFR's "OS thread id". For a platform thread it is fixed for the thread's
     * life (the kernel may reuse it after the thread ends). For a virtual thread
     * it is the tid of the carrier thread running it at the moment of the call:
     * a virtual thread can move to another carrier at any blocking point, so the
     * value can differ between two calls. Inside a PID namespace it is that
     * namespace's number, as {@code gettid} gives it.
     *
     * @return the tid, always {@code > 0}
     * @throws UnsupportedOperationException only where this JVM offers no way to
     *         the kernel tid at all ({@link #diagnostics()}{@code .path()} is
     *         {@link Diagnostics.Path#UNAVAILABLE}: no libcarrierid, no FFM, no usable {@code /proc})
     */
    public static long osThreadId() {
        return Init.published() ? Dispatch.osThreadId() : Provisional.osThreadIdThenStart();
    }

    /**
     * Whether {@link #osThreadId()} can answer on this JVM: false only where no kernel tid
     * exists ({@link Diagnostics.Path#UNAVAILABLE}: an OS other than Linux, or Linux with no
     * way to it). A cheap check, for a log layout that prints the tid only where there is one;
     * the answer is the same for the life of the JVM.
     *
     * @return true when {@link #osThreadId()} returns rather than throws
     */
    public static boolean osThreadIdAvailable() {
        if (Init.ready()) {
            return Active.PATH != Diagnostics.Path.UNAVAILABLE;
        }
        return Init.library() == Init.LIBRARY_LOADED || ProcThreadSelf.problem().isEmpty();
    }

    /**
     * A small, dense number for the OS thread running the caller (for a virtual thread, the
     * carrier running it at the moment of the call), for striping: {@code
     * counters[Carrier.index() % counters.length]}.
     *
     * <p>Distinct among the live threads that have asked, the same for a thread's whole life,
     * and reused, lowest first, once a thread has ended: so always below the peak number of
     * live threads that have asked (on a JVM of virtual threads, about the number of carriers;
     * every platform thread that asks counts too). Like {@link #osThreadId()} on a virtual
     * thread it can change at any blocking point. A thread's first call registers it under a
     * lock (for a virtual thread, that of its carrier: a blocking point, once per carrier);
     * later calls read the carrier's key and two arrays.
     *
     * <p>Where carriers cannot be told apart (no libcarrierid: see {@link #diagnostics()}),
     * the numbers are kept per {@link #thread()} by a slower, synchronized registry with the
     * same rules; on a virtual thread whose carrier cannot be read (no {@code --add-opens
     * java.base/java.lang}), per virtual thread. A call answered provisionally (from code
     * running inside carrierid's initialisation, or after waiting for it in vain) is answered
     * by that registry too, and may differ from the calling thread's later numbers.
     *
     * @return the index, {@code >= 0}
     */
    public static int index() {
        return Dispatch.index();
    }

    /**
     * The address of HotSpot's {@code JavaThread} for the OS thread running the
     * caller: the value {@code jstack} prints as {@code tid=0x...}, and the
     * carrier's {@code Thread.eetop}.
     *
     * <p>For a platform thread it is fixed while the thread lives (HotSpot may
     * reuse the memory after it ends). For a virtual thread it is that of the
     * current carrier, and can change at any blocking point.
     *
     * @return the address, or {@code 0} where libcarrierid is not loaded (see
     *         {@link #diagnostics()}), the only case in which it cannot be known
     */
    public static long javaThreadAddress() {
        return Init.readyOrLibrary() ? Dispatch.javaThreadAddress() : Provisional.javaThreadAddress();
    }

    /**
     * The platform thread running the caller: the caller itself on a platform
     * thread; on a virtual thread, the carrier it is mounted on at the moment of
     * the call (it may run on another carrier after its next blocking point).
     *
     * <p>The carrier is obtained through JNI, as a proper reference, with no
     * {@code --add-opens}. Where the native library cannot be loaded, a virtual
     * thread's carrier is read by reflection, which needs
     * {@code --add-opens java.base/java.lang=ALL-UNNAMED}.
     *
     * <p>Where the JVM cannot unmount virtual threads ({@code -XX:-VMContinuations},
     * an experimental HotSpot flag), each virtual thread runs bound to an OS thread of
     * its own, with no carrier: there this returns the calling virtual thread itself,
     * the one {@code Thread} its OS thread runs.
     *
     * @return the {@code Thread} whose OS thread runs the caller: a started, live
     *         platform thread, or the caller itself where virtual threads are bound
     *         (above)
     * @throws UnsupportedOperationException on a virtual thread when neither the
     *         native library nor the reflective way is available
     */
    public static Thread thread() {
        return Dispatch.carrierThread();
    }

    /**
     * The kernel tid of the OS thread running {@code thread} now: for a live
     * platform thread its own tid (the same number {@link #osThreadId()} returns
     * on it); for a mounted virtual thread the tid of its carrier at the moment
     * of the call.
     *
     * <p>A virtual thread that parks or blocks while pinned to its carrier (inside
     * {@code synchronized} on JDK 21-23, in a class initialiser, in a native frame)
     * stays mounted, so it gives its carrier's tid. A virtual thread bound to an OS
     * thread of its own ({@code -XX:-VMContinuations}) gives that thread's tid while it
     * lives, as a platform thread does.
     *
     * @param thread any thread
     * @return the tid, or empty when {@code thread} runs on no OS thread: not yet
     *         started, terminated, or a virtual thread that is not mounted
     *         (unmounted while parked or blocked, or waiting for a carrier)
     * @throws NullPointerException if {@code thread} is null
     * @throws UnsupportedOperationException for the caller itself only where
     *         {@link #osThreadIdAvailable()} is false; for a thread other than the caller when
     *         the native fast path is off on this JVM (no portable way exists to
     *         read another thread's tid; {@link #diagnostics()} says why it is off),
     *         or not decided yet (a call from a hook running inside carrierid's own
     *         initialisation, or after waiting for it in vain)
     * @throws IllegalStateException if a verified offset could not be read on a live
     *         thread: never seen, and a sign that the JVM's memory is corrupt
     */
    public static OptionalLong osThreadIdOf(Thread thread) {
        Objects.requireNonNull(thread, "thread must not be null");
        if (thread == Thread.currentThread()) {
            return OptionalLong.of(osThreadId());
        }
        if (!Init.ready()) {
            throw new UnsupportedOperationException("osThreadIdOf(another thread) needs the native fast path, "
                    + "which is not decided yet: " + Init.pending());
        }
        if (!Active.FAST) {
            throw new UnsupportedOperationException("osThreadIdOf(another thread) needs the native fast path, "
                    + "which is off on this JVM: " + diagnostics().fallbackReason());
        }
        Thread platform = Dispatch.platformThreadOf(thread);
        if (platform == null) {
            return OptionalLong.empty(); // a virtual thread not mounted
        }
        long tid = Native.osThreadIdOf(platform, Active.OS_THREAD_OFFSET, Active.THREAD_ID_OFFSET);
        if (tid == Native.OS_THREAD_UNREADABLE) {
            throw new IllegalStateException("carrierid: verified offsets unreadable on a live thread: " + thread);
        }
        return tid > 0 ? OptionalLong.of(tid) : OptionalLong.empty();
    }

    /**
     * The CPU time, user and system, in nanoseconds, that the OS thread running the caller
     * has used so far: on a platform thread its own (the clock
     * {@code ThreadMXBean.getCurrentThreadCpuTime()} reads: the two agree); on a virtual
     * thread, where that method answers -1, its carrier's, over everything that carrier has
     * run, other virtual threads included.
     *
     * <p>Measuring a piece of work on a virtual thread honestly: read {@link #osThreadId()}
     * and this before and after. If the work had no blocking point in between, the thread
     * could neither leave its carrier nor share it, and the difference is the work's own CPU
     * time. If it blocked, it may have left, or come back after other virtual threads ran on
     * the same carrier: the difference then holds their time too and is no measure of the
     * work (report it as unattributable, never as a number). A different tid after proves it
     * blocked; the same tid does not prove it did not. {@link CpuSpan} does this bookkeeping,
     * and {@link CpuSpan#measurePinned(Runnable)} measures work that may block, exactly, by
     * keeping its virtual thread on its carrier.
     *
     * @return nanoseconds; -1 where no CPU clock can be read (no libcarrierid, and
     *         {@code java.management} absent or not measuring threads' CPU time)
     */
    public static long cpuTimeNanos() {
        return Dispatch.cpuTimeNanos();
    }

    /**
     * The CPU time, user and system, in nanoseconds, that the OS thread running {@code thread}
     * has used so far: for a live platform thread its own; for a mounted virtual thread its
     * carrier's at the moment of the call (everything that carrier has run). The tid and the
     * clock are read inside one check that the thread was alive throughout, as for
     * {@link #osThreadIdOf(Thread)}: no answer for one thread is ever another's.
     *
     * @param thread any thread
     * @return the time, or empty for a thread not started or ended, a virtual thread that is
     *         not mounted, or where no CPU clock can be read
     * @throws NullPointerException if {@code thread} is null
     * @throws IllegalStateException if a verified offset could not be read on a live thread
     *         (never seen)
     */
    public static OptionalLong cpuTimeNanosOf(Thread thread) {
        return Dispatch.cpuTimeNanosOf(Objects.requireNonNull(thread, "thread must not be null"));
    }

    /**
     * Which path is active on this JVM and why, where the offsets came from, and
     * what the self-check saw. Once carrierid has initialised, the same value for
     * the life of the JVM, but for the virtual-thread part of {@code verification}
     * (and a warning, should that check fail), which the first call from a virtual
     * thread completes: that check runs then, not before. Before that (a call from a hook running inside
     * carrierid's own initialisation, a caller that waited for it in vain, or a
     * retry pending after initialisation failed for want of memory or threads) a
     * provisional report whose {@link Diagnostics#fallback()} is {@code INITIALISING}.
     *
     * @return the report; its {@code toString()} is readable, {@code toJson()} is JSON
     */
    public static Diagnostics diagnostics() {
        return Init.ready() ? VirtualPath.report(Active.OUTCOME.diagnostics()) : Provisional.diagnostics(Init.pending());
    }
}
