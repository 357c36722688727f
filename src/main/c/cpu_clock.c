/*
 * CPU time, user + system, in nanoseconds: of the calling OS thread
 * (CLOCK_THREAD_CPUTIME_ID: for a virtual thread, its carrier, over everything
 * the carrier ran), and of another OS thread of this process by its tid. The
 * same clock HotSpot reads for ThreadMXBean.getCurrentThreadCpuTime() on Linux
 * (os::current_thread_cpu_time: pthread_getcpuclockid and clock_gettime). One
 * clock_gettime each: a syscall, not the vDSO, for these clocks.
 */
#define _GNU_SOURCE
#include "cpu_clock.h"

#include <time.h>

#include "io_carrierid_Native.h"

static int64_t nanos(clockid_t clock) {
    struct timespec ts;
    if (clock_gettime(clock, &ts) != 0) {
        return -1;
    }
    return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The calling thread's; -1 if the clock cannot be read. Called directly by FFM too. */
int64_t carrierid_cpu_time(void) {
    return nanos(CLOCK_THREAD_CPUTIME_ID);
}

/*
 * Thread tid's, -1 when there is no such thread in this process (ended): Linux's clock id
 * for a thread's CPU time, MAKE_THREAD_CPUCLOCK(tid, CPUCLOCK_SCHED) (include/linux/posix-timers.h,
 * what glibc's pthread_getcpuclockid computes): ~tid << 3, per-thread (4), scheduler time (2).
 * The kernel accepts only threads of the caller's own process (same_thread_group).
 */
int64_t carrierid_cpu_time_of(int32_t tid) {
    return nanos((clockid_t) ((~(uint32_t) tid << 3) | 4 | 2));
}

JNIEXPORT jlong JNICALL Java_io_carrierid_Native_cpuTimeNanos(JNIEnv *env, jclass cls) {
    (void) env;
    (void) cls;
    return (jlong) carrierid_cpu_time();
}

/*
 * CpuSpan.measurePinned: the work runs inside this native frame, so a virtual thread cannot
 * unmount (a blocking point inside blocks its carrier instead) and both clock reads are of the
 * one OS thread that ran all of it, and of nothing else.
 */
JNIEXPORT jlong JNICALL Java_io_carrierid_Native_runPinned(JNIEnv *env, jclass cls, jobject work) {
    (void) cls;
    jclass runnable = (*env)->GetObjectClass(env, work);
    jmethodID run = runnable == NULL ? NULL : (*env)->GetMethodID(env, runnable, "run", "()V");
    if (run == NULL) {
        return -1; /* an exception is pending: thrown on return */
    }
    int64_t before = carrierid_cpu_time();
    (*env)->CallVoidMethod(env, work, run);
    int64_t after = carrierid_cpu_time();
    return before >= 0 && after >= 0 ? (jlong) (after - before) : -1;
}
