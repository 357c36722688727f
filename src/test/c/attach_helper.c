/*
 * Test helper for scripts/stress (not part of the library): native threads made
 * with pthread_create that attach to the JVM through JNI AttachCurrentThread,
 * call io.carrierid.StressMain.fromNative() (which checks carrierid's ids
 * against the kernel), detach, and attach again.
 */
#include <jni.h>
#include <pthread.h>
#include <stdint.h>

typedef struct {
    JavaVM *vm;
    jclass stress_class; /* global ref */
    jmethodID from_native;
    int rounds;
    int failures;
} job;

static void *run(void *arg) {
    job *j = arg;
    for (int r = 0; r < j->rounds; r++) {
        JNIEnv *env;
        JavaVMAttachArgs attach = { JNI_VERSION_1_8, "native-attached", NULL };
        if ((*j->vm)->AttachCurrentThread(j->vm, (void **) &env, &attach) != JNI_OK) {
            j->failures++;
            continue;
        }
        (*env)->CallStaticVoidMethod(env, j->stress_class, j->from_native);
        if ((*env)->ExceptionCheck(env)) {
            (*env)->ExceptionDescribe(env);
            (*env)->ExceptionClear(env);
            j->failures++;
        }
        (*j->vm)->DetachCurrentThread(j->vm);
    }
    return NULL;
}

JNIEXPORT jint JNICALL Java_io_carrierid_StressMain_runAttached(JNIEnv *env, jclass cls, jint threads, jint rounds) {
    JavaVM *vm;
    (*env)->GetJavaVM(env, &vm);
    jmethodID from_native = (*env)->GetStaticMethodID(env, cls, "fromNative", "()V");
    if (from_native == NULL || threads > 64) {
        return -1;
    }
    job jobs[64];
    pthread_t ids[64];
    jclass global = (*env)->NewGlobalRef(env, cls);
    for (int i = 0; i < threads; i++) {
        jobs[i] = (job) { vm, global, from_native, rounds, 0 };
        pthread_create(&ids[i], NULL, run, &jobs[i]);
    }
    int failures = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(ids[i], NULL);
        failures += jobs[i].failures;
    }
    (*env)->DeleteGlobalRef(env, global);
    return failures;
}
