/*
 * Walks tp+slot -> JavaThread* -> +osthread -> OSThread* -> +tid with
 * fault-safe reads only, and compares each step with a truth that does not
 * depend on any offset: eetop for the JavaThread*, the gettid syscall for the
 * tid. Only when both match does it call the real (unchecked) fast routine,
 * whose answer must match too. A wrong offset therefore ends in an error
 * code, never in a dereference of a bad address.
 */
#define _GNU_SOURCE
#include "verify.h"

#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "eetop.h"
#include "fast_path.h"
#include "io_carrierid_Native.h"
#include "jni_ids.h"
#include "safe_read.h"

/* A Java long[] holding values (null with an OutOfMemoryError pending if it cannot be made). */
static jlongArray long_array(JNIEnv *env, const jlong *values, jsize length) {
    jlongArray result = (*env)->NewLongArray(env, length);
    if (result != NULL) {
        (*env)->SetLongArrayRegion(env, result, 0, length, values);
    }
    return result;
}

static jlong walk(jlong *seen, JNIEnv *env, jobject current, jlong slot, jlong osthread_offset, jlong tid_offset) {
    uintptr_t java_thread = carrierid_eetop(env, current);
    seen[io_carrierid_Native_VERIFY_EETOP] = (jlong) java_thread;
    seen[io_carrierid_Native_VERIFY_GETTID] = (jlong) syscall(SYS_gettid);
    if (java_thread == 0) {
        return io_carrierid_Native_VERIFY_NOT_PLATFORM_THREAD;
    }
    uint64_t tls_value;
    if (carrierid_safe_tls_u64(slot, &tls_value) != 0) {
        return io_carrierid_Native_VERIFY_TLS_UNREADABLE;
    }
    seen[io_carrierid_Native_VERIFY_TLS_VALUE] = (jlong) tls_value;
    if (tls_value != java_thread) {
        return io_carrierid_Native_VERIFY_TLS_MISMATCH;
    }
    uint64_t os_thread;
    if (carrierid_safe_u64(java_thread + (uintptr_t) osthread_offset, &os_thread) != 0) {
        return io_carrierid_Native_VERIFY_OSTHREAD_UNREADABLE;
    }
    uint32_t tid;
    if (carrierid_safe_u32((uintptr_t) os_thread + (uintptr_t) tid_offset, &tid) != 0) {
        return io_carrierid_Native_VERIFY_TID_UNREADABLE;
    }
    seen[io_carrierid_Native_VERIFY_WALKED_TID] = (jlong) (int32_t) tid;
    if ((jlong) (int32_t) tid != seen[io_carrierid_Native_VERIFY_GETTID]) {
        return io_carrierid_Native_VERIFY_TID_MISMATCH;
    }
    /* Every address of the walk is now known good on this thread: run the real thing. */
    if (carrierid_os_thread_id(slot, osthread_offset, tid_offset) != seen[io_carrierid_Native_VERIFY_GETTID]
        || (uintptr_t) carrierid_java_thread(slot) != java_thread) {
        return io_carrierid_Native_VERIFY_FAST_PATH_DIFFERS;
    }
    return io_carrierid_Native_VERIFY_OK;
}

JNIEXPORT jlongArray JNICALL Java_io_carrierid_Native_verifyHere(JNIEnv *env, jclass cls, jobject current,
                                                                 jlong slot, jlong osthread_offset, jlong tid_offset) {
    (void) cls;
    jlong seen[io_carrierid_Native_VERIFY_RESULT_LENGTH] = { 0 };
    seen[io_carrierid_Native_VERIFY_CODE] = walk(seen, env, current, slot, osthread_offset, tid_offset);
    return long_array(env, seen, io_carrierid_Native_VERIFY_RESULT_LENGTH);
}

/*
 * The same walk on a thread HotSpot did not start: a pthread made here, attached
 * through JNI. HotSpot passes a thread's JavaThread* to pthread_create for the
 * threads it starts, so glibc's descriptor of those holds it a second time (the
 * start routine's argument); a slot found by its value may be that word, right on
 * every thread HotSpot started and wrong on the launcher's main thread, an
 * embedder's threads, JNI-attached and FFM-upcall threads. Here the start argument
 * is the check's own struct, which cannot equal a JavaThread* made after it.
 */
typedef struct {
    JavaVM *vm;
    jlong slot, osthread_offset, tid_offset;
    jlong seen[io_carrierid_Native_VERIFY_RESULT_LENGTH];
} native_check;

static void *check_on_native_thread(void *arg) {
    native_check *check = arg;
    JNIEnv *env;
    JavaVMAttachArgs attach = { JNI_VERSION_1_8, (char *) "carrierid-verify-native", NULL };
    if ((*check->vm)->AttachCurrentThreadAsDaemon(check->vm, (void **) &env, &attach) != JNI_OK) {
        check->seen[io_carrierid_Native_VERIFY_CODE] = io_carrierid_Native_VERIFY_ATTACH_FAILED;
        return NULL;
    }
    jobject current = carrierid_ids()->current_thread == NULL ? NULL
            : (*env)->CallStaticObjectMethod(env, carrierid_ids()->thread_class, carrierid_ids()->current_thread);
    if ((*env)->ExceptionCheck(env)) {
        (*env)->ExceptionClear(env);
        current = NULL;
    }
    check->seen[io_carrierid_Native_VERIFY_CODE] =
            walk(check->seen, env, current, check->slot, check->osthread_offset, check->tid_offset);
    (*check->vm)->DetachCurrentThread(check->vm);
    return NULL;
}

/* Room for HotSpot's guard zones on an attached thread's stack, and for the JNI calls above. */
#define NATIVE_CHECK_STACK (512 * 1024)

JNIEXPORT jlongArray JNICALL Java_io_carrierid_Native_verifyOnNativeThread(JNIEnv *env, jclass cls, jlong slot,
                                                                           jlong osthread_offset, jlong tid_offset) {
    (void) cls;
    native_check check = { NULL, slot, osthread_offset, tid_offset, { 0 } };
    if ((*env)->GetJavaVM(env, &check.vm) != JNI_OK) {
        check.seen[io_carrierid_Native_VERIFY_CODE] = io_carrierid_Native_VERIFY_ATTACH_FAILED;
        return long_array(env, check.seen, io_carrierid_Native_VERIFY_RESULT_LENGTH);
    }
    pthread_attr_t attr;
    pthread_t thread;
    int error = pthread_attr_init(&attr);
    if (error == 0) {
        pthread_attr_setstacksize(&attr, NATIVE_CHECK_STACK);
        error = pthread_create(&thread, &attr, check_on_native_thread, &check);
        pthread_attr_destroy(&attr);
    }
    if (error != 0) {
        check.seen[io_carrierid_Native_VERIFY_CODE] = io_carrierid_Native_VERIFY_NO_NATIVE_THREAD;
        check.seen[io_carrierid_Native_VERIFY_GETTID] = error; /* the errno, for the report */
    } else {
        pthread_join(thread, NULL); /* bounded: the thread only attaches, walks and detaches */
    }
    return long_array(env, check.seen, io_carrierid_Native_VERIFY_RESULT_LENGTH);
}

/*
 * From a virtual thread: JavaThread::_monitor_owner_id of the carrier found
 * through the slot, read fault-safely. HotSpot sets it to the mounted
 * virtual thread's threadId() (JVM_SetCurrentThread), so Java can compare.
 * Result: { 1, value } when readable, { 0, 0 } when not.
 */
JNIEXPORT jlongArray JNICALL Java_io_carrierid_Native_monitorOwnerIdHere(JNIEnv *env, jclass cls, jlong slot,
                                                                         jlong monitor_owner_offset) {
    (void) cls;
    jlong seen[2] = { 0, 0 };
    uint64_t java_thread, owner;
    if (carrierid_safe_tls_u64(slot, &java_thread) == 0 && java_thread != 0
        && carrierid_safe_u64(java_thread + (uintptr_t) monitor_owner_offset, &owner) == 0) {
        seen[0] = 1;
        seen[1] = (jlong) owner;
    }
    return long_array(env, seen, 2);
}
