/* The hot reads: only ever called with a slot and offsets that verify.c accepted on this JVM. */
#ifndef CARRIERID_FAST_PATH_H
#define CARRIERID_FAST_PATH_H

#include <jni.h>

/* The calling thread's JavaThread*, from its %fs slot. */
jlong carrierid_java_thread(jlong slot);

/* The calling thread's kernel tid: JavaThread* -> OSThread* -> OSThread::_thread_id. */
jlong carrierid_os_thread_id(jlong slot, jlong osthread_offset, jlong tid_offset);

#endif
