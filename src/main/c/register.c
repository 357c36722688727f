/*
 * Binds the native methods by RegisterNatives rather than by their exported
 * Java_io_carrierid_* names, so that a copy of carrierid whose classes were
 * relocated (maven-shade-plugin, say, to demo.shaded.carrierid) keeps its
 * library. JNI_OnLoad's FindClass uses the class loader that loaded the
 * library, so the class found is the one of this very copy.
 */
#define _GNU_SOURCE
#include "register.h"

#include <dlfcn.h>
#include <string.h>

#include "io_carrierid_Native.h"

#define FILE_PREFIX "libcarrierid+"
#define FILE_SUFFIX ".so"
#define DEFAULT_CLASS "io/carrierid/Native"

static const JNINativeMethod methods[] = {
    { "osThreadId0", "(JJJ)J", (void *) Java_io_carrierid_Native_osThreadId0 },
    { "javaThreadAddress0", "(J)J", (void *) Java_io_carrierid_Native_javaThreadAddress0 },
    { "eetop", "(Ljava/lang/Thread;)J", (void *) Java_io_carrierid_Native_eetop },
    { "tlsProbe", "(Ljava/lang/Thread;)[J", (void *) Java_io_carrierid_Native_tlsProbe },
    { "verifyHere", "(Ljava/lang/Thread;JJJ)[J", (void *) Java_io_carrierid_Native_verifyHere },
    { "verifyOnNativeThread", "(JJJ)[J", (void *) Java_io_carrierid_Native_verifyOnNativeThread },
    { "monitorOwnerIdHere", "(JJ)[J", (void *) Java_io_carrierid_Native_monitorOwnerIdHere },
    { "currentCarrier", "()Ljava/lang/Thread;", (void *) Java_io_carrierid_Native_currentCarrier },
    { "carrierOf", "(Ljava/lang/Thread;)Ljava/lang/Thread;", (void *) Java_io_carrierid_Native_carrierOf },
    { "osThreadIdOf", "(Ljava/lang/Thread;JJ)J", (void *) Java_io_carrierid_Native_osThreadIdOf },
    { "cpuTimeNanosOf", "(Ljava/lang/Thread;JJ)J", (void *) Java_io_carrierid_Native_cpuTimeNanosOf },
    { "cpuTimeNanos", "()J", (void *) Java_io_carrierid_Native_cpuTimeNanos },
    { "runPinned", "(Ljava/lang/Runnable;)J", (void *) Java_io_carrierid_Native_runPinned },
    { "carrierKey", "()J", (void *) Java_io_carrierid_Native_carrierKey },
    { "setCarrierKey", "(J)V", (void *) Java_io_carrierid_Native_setCarrierKey },
    { "carrierKeySlot", "()[J", (void *) Java_io_carrierid_Native_carrierKeySlot },
    { "vmStructsFields", "([Ljava/lang/String;[Ljava/lang/String;)[J", (void *) Java_io_carrierid_Native_vmStructsFields },
    { "libcVersion", "()Ljava/lang/String;", (void *) Java_io_carrierid_Native_libcVersion },
    { "nop", "()V", (void *) Java_io_carrierid_Native_nop },
    { "gettid", "()J", (void *) Java_io_carrierid_Native_gettid },
    { "interfaceVersion", "()I", (void *) Java_io_carrierid_Native_interfaceVersion },
};

/* "demo/shaded/carrierid/Native" from ".../libcarrierid+demo.shaded.carrierid.so"; the default otherwise. */
static void class_name(char *out, size_t size) {
    Dl_info info;
    strncpy(out, DEFAULT_CLASS, size - 1);
    out[size - 1] = '\0';
    if (dladdr((void *) carrierid_register_natives, &info) == 0 || info.dli_fname == NULL) {
        return;
    }
    const char *base = strrchr(info.dli_fname, '/');
    base = base != NULL ? base + 1 : info.dli_fname;
    size_t prefix = strlen(FILE_PREFIX), suffix = strlen(FILE_SUFFIX), len = strlen(base);
    if (len <= prefix + suffix || strncmp(base, FILE_PREFIX, prefix) != 0
        || strcmp(base + len - suffix, FILE_SUFFIX) != 0) {
        return;
    }
    size_t package = len - prefix - suffix;
    if (package + sizeof "/Native" > size) {
        return;
    }
    for (size_t i = 0; i < package; i++) {
        char c = base[prefix + i];
        out[i] = c == '.' ? '/' : c;
    }
    memcpy(out + package, "/Native", sizeof "/Native");
}

int carrierid_register_natives(JNIEnv *env) {
    char name[512];
    class_name(name, sizeof name);
    jclass native = (*env)->FindClass(env, name);
    if (native == NULL) {
        (*env)->ExceptionClear(env);
        return -1;
    }
    jint result = (*env)->RegisterNatives(env, native, methods, (jint) (sizeof methods / sizeof methods[0]));
    if (result != 0) {
        (*env)->ExceptionClear(env);
    }
    (*env)->DeleteLocalRef(env, native);
    return result == 0 ? 0 : -1;
}
