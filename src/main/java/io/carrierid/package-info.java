/**
 * carrierid's public API: {@link io.carrierid.Carrier} (the kernel tid and the
 * HotSpot {@code JavaThread} of the OS thread running the caller, a virtual
 * thread's carrier, another thread's tid, a dense carrier index, CPU time, and
 * {@link io.carrierid.Carrier#diagnostics()}), {@link io.carrierid.CarrierLocal}
 * (one value per carrier OS thread), {@link io.carrierid.CarrierPool} (idle objects
 * per carrier), {@link io.carrierid.CpuSpan} (a CPU-time measurement that knows
 * whether it is the work's own) and {@link io.carrierid.Diagnostics} (which path
 * answers, and why). Everything else in this package is internal.
 *
 * <h2>Initialisation, for maintainers</h2>
 *
 * <p>The first call of any method starts an attempt on a thread of carrierid's own
 * ({@code carrierid-init}). {@code Init} owns the state: one immutable {@code Init.State}
 * in one volatile field, replaced whole. Its phase goes:
 *
 * <pre>
 *  IDLE --first call--&gt; RUNNING --Setup decided--&gt; STAGED --dispatch classes initialised--&gt; PUBLISHED
 *   ^                      |   (library: UNKNOWN -&gt;     |   (Active's finals read the            | (keysReady: the warm-up
 *   |                      |    LOADED or ABSENT, told   |    staged outcome)                     |  initialised CarrierKeys
 *   |                      |    by Setup.Progress)       |                                        |  and CarrierValues)
 *   +---- an Error (no memory, threads): failures + 1, a back-off of 50 ms doubling to 30 s;
 *         a later call starts a new attempt
 * </pre>
 *
 * <p>The loader ({@code NativeLibrary}) and {@code Setup} return values; {@code Setup} tells the
 * attempt of the library's fate through {@code Setup.Progress}, and calls nothing of {@code Init};
 * nothing of the dispatch path calls the public facade. {@code library} outlives an attempt
 * (a retry finds the library loaded).
 *
 * <p>Before PUBLISHED a caller waits at most 5 s (never on carrierid-init itself, never
 * while it holds the monitor of carrierid's class loader): {@code osThreadId()},
 * {@code javaThreadAddress()} and {@code thread()} only until the library's fate is known, the others
 * until PUBLISHED; a caller that cannot wait is answered by {@code Provisional} (gettid or
 * {@code /proc}: the same ids, slower, never cached). PUBLISHED is final for the JVM's
 * life: {@code Active}'s static finals are initialised from it on carrierid-init just
 * before. {@code CarrierLocal} and {@code CarrierPool} keep values per thread (and carry
 * them over) until keysReady. Independently, the first call from a virtual thread runs the
 * virtual-thread check on it ({@code VirtualPath}: UNCHECKED, then JNI, then FFM once the
 * downcalls are set up on {@code carrierid-ffm}; GETTID if the check fails). Every class
 * initialiser carrierid keeps runs on one of carrierid's own threads, with heap to spare,
 * after a step that can be retried made what it keeps (see {@code Heap}, {@code Injected}).
 */
package io.carrierid;
