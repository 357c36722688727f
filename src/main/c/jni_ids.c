/*
 * Looks up, once in JNI_OnLoad, the JDK-private members carrierid reads
 * through JNI (which applies no access or module checks, and hands objects
 * back as GC-safe local references, so no oop is ever decoded by hand).
 *
 * The ids are the library's only global state: written once here, before
 * System.load returns and so before any other entry point can run, and only
 * read afterwards. Class and member ids stay valid while the class is loaded;
 * the classes are held by global references and are bootstrap classes anyway.
 */
#include "jni_ids.h"

#include <stddef.h>

#include "register.h"

static carrierid_jni_ids ids;

static jclass global_class(JNIEnv *env, const char *name) {
    jclass local = (*env)->FindClass(env, name);
    if (local == NULL) {
        (*env)->ExceptionClear(env);
        return NULL;
    }
    jclass global = (jclass) (*env)->NewGlobalRef(env, local);
    (*env)->DeleteLocalRef(env, local);
    return global;
}

static jfieldID field(JNIEnv *env, jclass owner, const char *name, const char *signature) {
    if (owner == NULL) {
        return NULL;
    }
    jfieldID id = (*env)->GetFieldID(env, owner, name, signature);
    if (id == NULL) {
        (*env)->ExceptionClear(env);
    }
    return id;
}

static jmethodID static_method(JNIEnv *env, jclass owner, const char *name, const char *signature) {
    if (owner == NULL) {
        return NULL;
    }
    jmethodID id = (*env)->GetStaticMethodID(env, owner, name, signature);
    if (id == NULL) {
        (*env)->ExceptionClear(env);
    }
    return id;
}

const carrierid_jni_ids *carrierid_ids(void) {
    return &ids;
}

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    (void) reserved;
    JNIEnv *env;
    if ((*vm)->GetEnv(vm, (void **) &env, JNI_VERSION_1_8) != JNI_OK) {
        return JNI_ERR;
    }
    ids.thread_class = global_class(env, "java/lang/Thread");
    ids.eetop = field(env, ids.thread_class, "eetop", "J");
    ids.current_carrier_thread = static_method(env, ids.thread_class, "currentCarrierThread", "()Ljava/lang/Thread;");
    ids.virtual_thread_class = global_class(env, "java/lang/VirtualThread");
    ids.carrier_thread = field(env, ids.virtual_thread_class, "carrierThread", "Ljava/lang/Thread;");
    /* A failure leaves the methods to JNI's lookup by name (io.carrierid only); the Java side then reports it. */
    carrierid_register_natives(env);
    return JNI_VERSION_1_8;
}
