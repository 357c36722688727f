/*
 * Looks up, once in JNI_OnLoad, the JDK-private members carrierid reads
 * through JNI (which applies no access or module checks, and hands objects
 * back as GC-safe local references, so no oop is ever decoded by hand).
 *
 * The ids are the library's only global state: written once here, before
 * System.load returns and so before any other entry point can run, and only
 * read afterwards. Class and member ids stay valid while the class is loaded;
 * the classes are held by global references and are bootstrap classes anyway.
 *
 * Except java.lang.VirtualThread's: JNI's FindClass and GetFieldID initialise
 * the class they name, and VirtualThread's initialiser starts the virtual-thread
 * scheduler (a ForkJoinPool, lambdas: ~20 ms on JDK 25), which a program that
 * never uses virtual threads must not pay for while it waits for its first id.
 * Those two are looked up at their first use instead (by then the caller holds
 * a virtual thread, so the class is initialised already), published with
 * atomics: see carrierid_virtual_thread_ids().
 */
#include "jni_ids.h"

#include <stddef.h>

#include "carrier_key.h"
#include "register.h"

static carrierid_jni_ids ids;

/*
 * VirtualThread and its carrierThread field, looked up at first use. Global
 * mutable state, for the reason above: written at most once per racing thread
 * (each computes the same ids; the loser frees its global reference), read with
 * acquire loads. looked_up is 0 until both are final, then 1.
 */
static jclass virtual_thread_class;
static jfieldID carrier_thread_field;
static int looked_up;

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

int carrierid_virtual_thread_ids(JNIEnv *env, jclass *cls, jfieldID *carrier_thread) {
    if (!__atomic_load_n(&looked_up, __ATOMIC_ACQUIRE)) {
        jclass found = global_class(env, "java/lang/VirtualThread");
        jfieldID id = field(env, found, "carrierThread", "Ljava/lang/Thread;");
        jclass expected = NULL;
        if (found != NULL && !__atomic_compare_exchange_n(&virtual_thread_class, &expected, found, 0,
                                                          __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
            (*env)->DeleteGlobalRef(env, found); /* another thread published the same class first */
        }
        __atomic_store_n(&carrier_thread_field, id, __ATOMIC_RELEASE);
        __atomic_store_n(&looked_up, 1, __ATOMIC_RELEASE);
    }
    *cls = __atomic_load_n(&virtual_thread_class, __ATOMIC_ACQUIRE);
    *carrier_thread = __atomic_load_n(&carrier_thread_field, __ATOMIC_ACQUIRE);
    return *cls != NULL && *carrier_thread != NULL;
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
    ids.current_thread = static_method(env, ids.thread_class, "currentThread", "()Ljava/lang/Thread;");
    /* A failure leaves the methods to JNI's lookup by name (io.carrierid only); the Java side then reports it. */
    carrierid_register_natives(env);
    carrierid_carrier_key_load();
    return JNI_VERSION_1_8;
}

/* When this copy's class loader is unloaded (a redeploy): its pthread key is given back. */
JNIEXPORT void JNICALL JNI_OnUnload(JavaVM *vm, void *reserved) {
    (void) vm;
    (void) reserved;
    carrierid_carrier_key_unload();
}
