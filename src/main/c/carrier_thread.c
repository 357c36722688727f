/*
 * Carrier.thread(), Carrier.osThreadIdOf(Thread) and Carrier.cpuTimeNanosOf(Thread).
 *
 * Objects are only ever handled through JNI (GetObjectField, a static call),
 * which returns GC-safe local references. Another thread's JavaThread may be
 * freed at any moment (Thread-SMR frees it after the thread has left the
 * thread list), so its fields are read with fault-safe reads, bracketed by two
 * reads of its eetop: HotSpot clears eetop in ensure_join() during
 * JavaThread::exit, before the JavaThread is freed, so an unchanged non-zero
 * eetop after the reads means they were made while the thread was alive. That
 * needs the loads to happen in program order: x86-64 never reorders loads with
 * loads; aarch64 may, so acquire fences keep the field reads between the two
 * reads of eetop (a seqlock reader's discipline; free on x86-64).
 */
#include "carrier_thread.h"

#include <stdint.h>

#include "eetop.h"
#include "io_carrierid_Native.h"
#include "jni_ids.h"
#include "cpu_clock.h"
#include "safe_read.h"

JNIEXPORT jobject JNICALL Java_io_carrierid_Native_currentCarrier(JNIEnv *env, jclass cls) {
    (void) cls;
    const carrierid_jni_ids *ids = carrierid_ids();
    if (ids->current_carrier_thread == NULL) {
        return NULL;
    }
    return (*env)->CallStaticObjectMethod(env, ids->thread_class, ids->current_carrier_thread);
}

JNIEXPORT jobject JNICALL Java_io_carrierid_Native_carrierOf(JNIEnv *env, jclass cls, jobject virtual_thread) {
    (void) cls;
    jclass virtual_thread_class;
    jfieldID carrier_thread;
    if (virtual_thread == NULL || !carrierid_virtual_thread_ids(env, &virtual_thread_class, &carrier_thread)
        || !(*env)->IsInstanceOf(env, virtual_thread, virtual_thread_class)) {
        return NULL;
    }
    return (*env)->GetObjectField(env, virtual_thread, carrier_thread);
}

/*
 * The tid of a live thread and, with clock != 0, the CPU time its OS thread has used so far,
 * both read inside one eetop bracket: a tid read outside it could be reused by another thread
 * of ours once the first ended, and its clock would then be the new thread's.
 */
static jlong os_thread_read(JNIEnv *env, jobject thread, jlong osthread_offset, jlong tid_offset, int clock) {
    uintptr_t java_thread = carrierid_eetop(env, thread);
    if (java_thread == 0) {
        return io_carrierid_Native_OS_THREAD_NOT_ALIVE;
    }
    uint64_t os_thread = 0;
    uint32_t tid = 0;
    int64_t cpu = -1;
    __atomic_thread_fence(__ATOMIC_ACQUIRE); /* the field reads after the first eetop read */
    int ok = carrierid_safe_u64(java_thread + (uintptr_t) osthread_offset, &os_thread) == 0
             && os_thread != 0
             && carrierid_safe_u32((uintptr_t) os_thread + (uintptr_t) tid_offset, &tid) == 0;
    if (ok && clock && (int32_t) tid > 0) {
        cpu = carrierid_cpu_time_of((int32_t) tid);
    }
    __atomic_thread_fence(__ATOMIC_ACQUIRE); /* and before the second */
    if (carrierid_eetop(env, thread) != java_thread) {
        return io_carrierid_Native_OS_THREAD_NOT_ALIVE; /* it ended while we read: what we read may be stale */
    }
    if (!ok || (int32_t) tid <= 0) {
        return io_carrierid_Native_OS_THREAD_UNREADABLE;
    }
    if (clock) {
        return cpu >= 0 ? (jlong) cpu : io_carrierid_Native_OS_THREAD_NOT_ALIVE;
    }
    return (jlong) (int32_t) tid;
}

JNIEXPORT jlong JNICALL Java_io_carrierid_Native_osThreadIdOf(JNIEnv *env, jclass cls, jobject thread,
                                                              jlong osthread_offset, jlong tid_offset) {
    (void) cls;
    return os_thread_read(env, thread, osthread_offset, tid_offset, 0);
}

JNIEXPORT jlong JNICALL Java_io_carrierid_Native_cpuTimeNanosOf(JNIEnv *env, jclass cls, jobject thread,
                                                                jlong osthread_offset, jlong tid_offset) {
    (void) cls;
    return os_thread_read(env, thread, osthread_offset, tid_offset, 1);
}
