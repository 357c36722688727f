/* The libc version (for diagnostics) and the gettid syscall (the kernel's own answer). */
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

JNIEXPORT jlong JNICALL Java_io_carrierid_Native_gettid(JNIEnv *env, jclass cls) {
    (void) env;
    (void) cls;
    return (jlong) syscall(SYS_gettid);
}
