/*
 * Test-only: a native program that embeds the JVM the way an application server's
 * or a database's launcher may, on threads HotSpot did not start. It creates the
 * JVM on its primordial thread (the java launcher never does: it starts a new
 * thread), then makes pthreads whose start argument points at pointers (as
 * HotSpot's own start argument, the JavaThread*, does), attaches each through JNI
 * and calls io.carrierid.ChildProbe.check() on it, and last runs
 * ChildProbe.main(argv[2..]) on the primordial thread, which checks more and
 * prints the totals.
 *
 * Usage: embed_launcher <class path> [ChildProbe arguments...]
 * JVM options come from the environment variable CARRIERID_EMBED_OPTIONS, split at spaces.
 */
#include <jni.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 4
#define CALLS 50
#define MAX_OPTIONS 16

typedef struct {
    void *pointers[4]; /* the start argument points at pointers: at this very struct */
    JavaVM *vm;
    jclass probe;
    jmethodID check;
    int failures;
} job;

static void *attached(void *arg) {
    job *j = arg;
    JNIEnv *env;
    JavaVMAttachArgs attach = { JNI_VERSION_1_8, (char *) "embedded-attached", NULL };
    if ((*j->vm)->AttachCurrentThread(j->vm, (void **) &env, &attach) != JNI_OK) {
        j->failures++;
        return NULL;
    }
    for (int i = 0; i < CALLS; i++) {
        (*env)->CallStaticVoidMethod(env, j->probe, j->check);
        if ((*env)->ExceptionCheck(env)) {
            (*env)->ExceptionDescribe(env);
            (*env)->ExceptionClear(env);
            j->failures++;
        }
    }
    (*j->vm)->DetachCurrentThread(j->vm);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s <class path> [ChildProbe arguments...]\n", argv[0]);
        return 2;
    }
    JavaVMOption options[MAX_OPTIONS + 1];
    int count = 0;
    static char class_path[65536];
    snprintf(class_path, sizeof class_path, "-Djava.class.path=%s", argv[1]);
    options[count++].optionString = class_path;
    char *extra = getenv("CARRIERID_EMBED_OPTIONS");
    for (char *option = extra != NULL ? strtok(extra, " ") : NULL; option != NULL && count <= MAX_OPTIONS;
         option = strtok(NULL, " ")) {
        options[count++].optionString = option;
    }
    JavaVMInitArgs init = { JNI_VERSION_1_8, count, options, JNI_FALSE };
    JavaVM *vm;
    JNIEnv *env;
    if (JNI_CreateJavaVM(&vm, (void **) &env, &init) != JNI_OK) {
        fprintf(stderr, "JNI_CreateJavaVM failed\n");
        return 3;
    }
    jclass probe = (*env)->FindClass(env, "io/carrierid/ChildProbe");
    jmethodID check = probe != NULL ? (*env)->GetStaticMethodID(env, probe, "check", "()V") : NULL;
    jmethodID main_method = probe != NULL ? (*env)->GetStaticMethodID(env, probe, "main", "([Ljava/lang/String;)V") : NULL;
    if (check == NULL || main_method == NULL) {
        (*env)->ExceptionDescribe(env);
        return 4;
    }
    /* The first call of all, on the primordial thread. */
    (*env)->CallStaticVoidMethod(env, probe, check);
    if ((*env)->ExceptionCheck(env)) {
        (*env)->ExceptionDescribe(env);
        return 6;
    }
    job jobs[THREADS];
    pthread_t threads[THREADS];
    int failures = 0;
    for (int i = 0; i < THREADS; i++) {
        jobs[i] = (job) { { &jobs[i], &jobs[i], &jobs[i], &jobs[i] }, vm, probe, check, 0 };
        if (pthread_create(&threads[i], NULL, attached, &jobs[i]) != 0) {
            return 5;
        }
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(threads[i], NULL);
        failures += jobs[i].failures;
    }
    jclass string = (*env)->FindClass(env, "java/lang/String");
    jobjectArray args = (*env)->NewObjectArray(env, argc - 2, string, NULL);
    for (int i = 2; i < argc; i++) {
        (*env)->SetObjectArrayElement(env, args, i - 2, (*env)->NewStringUTF(env, argv[i]));
    }
    (*env)->CallStaticVoidMethod(env, probe, main_method, args);
    int threw = (*env)->ExceptionCheck(env);
    if (threw) {
        (*env)->ExceptionDescribe(env);
    }
    printf("EMBEDDED attached-thread failures %d\n", failures);
    fflush(stdout);
    (*vm)->DestroyJavaVM(vm);
    return threw || failures != 0 ? 1 : 0;
}
