/* The hot reads: only ever called with a slot and offsets that verify.c accepted on this JVM. */
#ifndef CARRIERID_FAST_PATH_H
#define CARRIERID_FAST_PATH_H

#include <jni.h>
#include <stdint.h>

/* The calling thread's JavaThread*, from its slot (thread pointer + slot). */
jlong carrierid_java_thread(jlong slot);

/* The calling thread's kernel tid: JavaThread* -> OSThread* -> OSThread::_thread_id. */
jlong carrierid_os_thread_id(jlong slot, jlong osthread_offset, jlong tid_offset);

/* Does nothing: the benchmark harness's baseline for an FFM call (exported: looked up by name). */
__attribute__((visibility("default"))) void carrierid_nop(void);

#endif
