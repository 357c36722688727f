/* The libc version (for diagnostics), the gettid syscall (the kernel's own answer), the interface version. */
#define _GNU_SOURCE
#include "system_info.h"

#include <gnu/libc-version.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "io_carrierid_Native.h"

JNIEXPORT jstring JNICALL Java_io_carrierid_Native_libcVersion(JNIEnv *env, jclass cls) {
    (void) cls;
    return (*env)->NewStringUTF(env, gnu_get_libc_version());
}

/* The interface this library was built for: Native.INTERFACE_VERSION of its own build (a test may set another). */
#ifndef CARRIERID_INTERFACE_VERSION
#define CARRIERID_INTERFACE_VERSION io_carrierid_Native_INTERFACE_VERSION
#endif

JNIEXPORT jint JNICALL Java_io_carrierid_Native_interfaceVersion(JNIEnv *env, jclass cls) {
    (void) env;
    (void) cls;
    return CARRIERID_INTERFACE_VERSION;
}

JNIEXPORT jlong JNICALL Java_io_carrierid_Native_gettid(JNIEnv *env, jclass cls) {
    (void) env;
    (void) cls;
    return (jlong) syscall(SYS_gettid);
}
