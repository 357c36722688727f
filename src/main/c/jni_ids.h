/* JNI class, field and method ids of java.lang classes, looked up once at load. */
#ifndef CARRIERID_JNI_IDS_H
#define CARRIERID_JNI_IDS_H

#include <jni.h>

typedef struct {
    jclass thread_class;               /* global ref to java.lang.Thread */
    jfieldID eetop;                    /* Thread.eetop (long): HotSpot only */
    jmethodID current_carrier_thread;  /* static Thread.currentCarrierThread(): JDK 19+ */
    jclass virtual_thread_class;       /* global ref to java.lang.VirtualThread: JDK 19+ */
    jfieldID carrier_thread;           /* VirtualThread.carrierThread: JDK 19+ */
} carrierid_jni_ids;

/* The ids; any of them NULL where this JVM lacks the member. */
const carrierid_jni_ids *carrierid_ids(void);

#endif
