/*
 * The assembly routines (asm/<arch>/thread_pointer.S): the thread pointer and the
 * loads relative to it. A slot is a signed offset from the thread pointer:
 * %fs-relative on x86-64 (>= 0), tpidr_el0-relative on aarch64 (< 0 with glibc).
 */
#ifndef CARRIERID_THREAD_POINTER_H
#define CARRIERID_THREAD_POINTER_H

#include <stdint.h>

/* The calling thread's thread pointer (%fs base, tpidr_el0). */
uintptr_t carrierid_thread_pointer(void);

/*
 * The calling thread's JavaThread* at its slot, and the kernel tid reached from it:
 * JavaThread* -> +osthread_offset -> OSThread* -> +tid_offset -> pid_t. Exported
 * (the JVM looks FFM downcall targets up by name); fast_path.c also calls them for JNI.
 */
#define CARRIERID_EXPORT __attribute__((visibility("default")))
CARRIERID_EXPORT int64_t carrierid_current_java_thread(int64_t slot);
CARRIERID_EXPORT int64_t carrierid_current_os_thread_id(int64_t slot, int64_t osthread_offset, int64_t tid_offset);

/* The value at slot where the word below it is seq, else 0: a pthread key's, checked as glibc does (carrier_key.c). */
CARRIERID_EXPORT int64_t carrierid_carrier_key_at(int64_t slot, int64_t seq);

#if !defined(__x86_64__) && !defined(__aarch64__)
#error "carrierid's assembly routines exist for x86-64 and aarch64"
#endif

#endif
