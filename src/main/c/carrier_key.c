/*
 * Each OS thread's CarrierLocal key (see CarrierKeys.java), in a C thread-local.
 *
 * Why a C thread-local: it is per OS thread by construction, so a virtual
 * thread reads the key of the carrier it is mounted on (pinned for the JNI
 * call), and a new OS thread starts with 0 even when the kernel reuses an
 * old thread's tid or malloc reuses its JavaThread's address.
 */
#include "carrier_key.h"

#include <stdint.h>

#include "io_carrierid_Native.h"

static __thread int64_t carrier_key;

/* The key, for an FFM critical downcall (JDK 22+): exported, as the JVM looks it up by name. */
__attribute__((visibility("default"))) int64_t carrierid_current_carrier_key(void) {
    return carrier_key;
}

JNIEXPORT jlong JNICALL Java_io_carrierid_Native_carrierKey(JNIEnv *env, jclass cls) {
    (void) env;
    (void) cls;
    return (jlong) carrier_key;
}

JNIEXPORT void JNICALL Java_io_carrierid_Native_setCarrierKey(JNIEnv *env, jclass cls, jlong key) {
    (void) env;
    (void) cls;
    carrier_key = (int64_t) key;
}
