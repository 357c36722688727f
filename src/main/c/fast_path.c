/*
 * The fast path. Plain loads, no checks: Java calls these only after
 * Verification accepted exactly these arguments on several threads of this
 * JVM. The offsets come in as arguments (static finals on the Java side, so
 * constants to the JIT) rather than as C globals, so the native side keeps no
 * mutable state at all.
 *
 * Why the loads are safe once verified: the calling thread is a live
 * JavaThread running Java code (it is inside a JNI call), so its pthread-key
 * value is set, its JavaThread is allocated, and its OSThread exists: HotSpot
 * creates the OSThread before the thread runs any Java code and frees it only
 * after the thread has left Java for good (JavaThread::exit, then the
 * destructor). For a virtual thread the OS thread is its carrier, pinned for
 * the duration of the native call.
 */
#include "fast_path.h"

#include <stdint.h>
#include <string.h>

#include "fs_load.h"
#include "io_carrierid_Native.h"

jlong carrierid_java_thread(jlong slot) {
    return (jlong) carrierid_fs_load(slot);
}

jlong carrierid_os_thread_id(jlong slot, jlong osthread_offset, jlong tid_offset) {
    const char *java_thread = (const char *) (uintptr_t) carrierid_fs_load(slot);
    const char *os_thread;
    memcpy(&os_thread, java_thread + osthread_offset, sizeof os_thread);
    int32_t tid; /* OSThread::thread_id_t is pid_t on Linux */
    memcpy(&tid, os_thread + tid_offset, sizeof tid);
    return (jlong) tid;
}

JNIEXPORT jlong JNICALL Java_io_carrierid_Native_osThreadId0(JNIEnv *env, jclass cls, jlong slot,
                                                             jlong osthread_offset, jlong tid_offset) {
    (void) env;
    (void) cls;
    return carrierid_os_thread_id(slot, osthread_offset, tid_offset);
}

JNIEXPORT jlong JNICALL Java_io_carrierid_Native_javaThreadAddress0(JNIEnv *env, jclass cls, jlong slot) {
    (void) env;
    (void) cls;
    return carrierid_java_thread(slot);
}

int64_t carrierid_ffm_os_thread_id(int64_t slot, int64_t osthread_offset, int64_t tid_offset) {
    return carrierid_os_thread_id(slot, osthread_offset, tid_offset);
}

int64_t carrierid_ffm_java_thread(int64_t slot) {
    return carrierid_java_thread(slot);
}

void carrierid_nop(void) {
}

/* The cost of a JNI call and nothing else: the benchmark harness's baseline. */
JNIEXPORT void JNICALL Java_io_carrierid_Native_nop(JNIEnv *env, jclass cls) {
    (void) env;
    (void) cls;
}
