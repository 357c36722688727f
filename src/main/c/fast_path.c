/*
 * The fast path. Plain loads, no checks: Java calls these only after
 * Verification accepted exactly these arguments on several threads of this
 * JVM. The offsets come in as arguments (static finals on the Java side, so
 * constants to the JIT) rather than as C globals, so the native side keeps no
 * mutable state at all.
 *
 * Why the loads are safe once verified: the calling thread is a live
 * JavaThread running Java code (it is inside a JNI call or an FFM downcall), so its pthread-key
 * value is set, its JavaThread is allocated, and its OSThread exists: HotSpot
 * creates the OSThread before the thread runs any Java code and frees it only
 * after the thread has left Java for good (JavaThread::exit, then the
 * destructor). For a virtual thread the OS thread is its carrier, pinned for
 * the duration of the native call (JNI or FFM: both pin).
 */
#include "fast_path.h"

#include <stdint.h>

#include "io_carrierid_Native.h"
#include "thread_pointer.h"

/* Both are the assembly routines (thread_pointer.S), which FFM also calls directly. */
jlong carrierid_java_thread(jlong slot) {
    return (jlong) carrierid_current_java_thread(slot);
}

jlong carrierid_os_thread_id(jlong slot, jlong osthread_offset, jlong tid_offset) {
    return (jlong) carrierid_current_os_thread_id(slot, osthread_offset, tid_offset);
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

void carrierid_nop(void) {
}

/* The cost of a JNI call and nothing else: the benchmark harness's baseline. */
JNIEXPORT void JNICALL Java_io_carrierid_Native_nop(JNIEnv *env, jclass cls) {
    (void) env;
    (void) cls;
}
