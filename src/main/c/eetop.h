/* java.lang.Thread.eetop: HotSpot's JavaThread* of a live platform thread. */
#ifndef CARRIERID_EETOP_H
#define CARRIERID_EETOP_H

#include <jni.h>
#include <stdint.h>

/*
 * The eetop field of thread (0 before start, after termination, for virtual
 * threads, and when the field does not exist, e.g. on a JVM that is not HotSpot).
 * Read through JNI, so it needs no module access and leaves no exception pending.
 */
uintptr_t carrierid_eetop(JNIEnv *env, jobject thread);

#endif
