/* JNI class, field and method ids of java.lang classes, looked up once at load. */
#ifndef CARRIERID_JNI_IDS_H
#define CARRIERID_JNI_IDS_H

#include <jni.h>

typedef struct {
    jclass thread_class;               /* global ref to java.lang.Thread */
    jfieldID eetop;                    /* Thread.eetop (long): HotSpot only */
    jmethodID current_carrier_thread;  /* static Thread.currentCarrierThread(): JDK 19+ */
    jmethodID current_thread;          /* static Thread.currentThread() */
} carrierid_jni_ids;

/* The ids; any of them NULL where this JVM lacks the member. */
const carrierid_jni_ids *carrierid_ids(void);

/*
 * java.lang.VirtualThread (JDK 19+) and its carrierThread field, looked up at the
 * first call (which initialises the class: call it only holding a virtual thread).
 * Returns 1 with both set, 0 where this JVM lacks them.
 */
int carrierid_virtual_thread_ids(JNIEnv *env, jclass *cls, jfieldID *carrier_thread);

#endif
