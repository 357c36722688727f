#include "eetop.h"

#include "io_carrierid_Native.h"

uintptr_t carrierid_eetop(JNIEnv *env, jobject thread) {
    if (thread == NULL) {
        return 0;
    }
    jclass thread_class = (*env)->FindClass(env, "java/lang/Thread");
    if (thread_class == NULL) {
        (*env)->ExceptionClear(env);
        return 0;
    }
    jfieldID eetop = (*env)->GetFieldID(env, thread_class, "eetop", "J");
    (*env)->DeleteLocalRef(env, thread_class);
    if (eetop == NULL) {
        (*env)->ExceptionClear(env); /* NoSuchFieldError: not HotSpot */
        return 0;
    }
    return (uintptr_t) (*env)->GetLongField(env, thread, eetop);
}

JNIEXPORT jlong JNICALL Java_io_carrierid_Native_eetop(JNIEnv *env, jclass cls, jobject thread) {
    (void) cls;
    return (jlong) carrierid_eetop(env, thread);
}
