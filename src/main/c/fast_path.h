/* The hot reads: only ever called with a slot and offsets that verify.c accepted on this JVM. */
#ifndef CARRIERID_FAST_PATH_H
#define CARRIERID_FAST_PATH_H

#include <jni.h>
#include <stdint.h>

/* The calling thread's JavaThread*, from its %fs slot. */
jlong carrierid_java_thread(jlong slot);

/* The calling thread's kernel tid: JavaThread* -> OSThread* -> OSThread::_thread_id. */
jlong carrierid_os_thread_id(jlong slot, jlong osthread_offset, jlong tid_offset);

/*
 * The same reads for FFM downcalls (JDK 22+, Linker.Option.critical): the
 * assembly routines of fs_load.S, exported like the JNI entry points because
 * the JVM looks them up by name. carrierid_nop is the benchmark harness's
 * baseline for a call.
 */
#define CARRIERID_EXPORT __attribute__((visibility("default")))
CARRIERID_EXPORT int64_t carrierid_ffm_os_thread_id(int64_t slot, int64_t osthread_offset, int64_t tid_offset);
CARRIERID_EXPORT int64_t carrierid_ffm_java_thread(int64_t slot);
CARRIERID_EXPORT void carrierid_nop(void);

#endif
