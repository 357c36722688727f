#include "eetop.h"

#include "io_carrierid_Native.h"
#include "jni_ids.h"

uintptr_t carrierid_eetop(JNIEnv *env, jobject thread) {
    jfieldID eetop = carrierid_ids()->eetop;
    if (thread == NULL || eetop == NULL) { /* no eetop: not HotSpot */
        return 0;
    }
    return (uintptr_t) (*env)->GetLongField(env, thread, eetop);
}

JNIEXPORT jlong JNICALL Java_io_carrierid_Native_eetop(JNIEnv *env, jclass cls, jobject thread) {
    (void) cls;
    return (jlong) carrierid_eetop(env, thread);
}
