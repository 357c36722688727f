/*
 * Finds where, relative to the thread pointer, the calling thread's JavaThread*
 * is kept: Native.tlsProbe. Its result array's layout and codes are declared
 * once, in Native.java (TLS_*, READ_*), and reach C through the header javac writes.
 */
#ifndef CARRIERID_TLS_PROBE_H
#define CARRIERID_TLS_PROBE_H

#include <pthread.h>
#include <stdint.h>

/*
 * Where the value of key (one of carrierid's own) lives on the calling thread, relative to the
 * thread pointer, found as glibc's layout is learned below (a marker, found exactly once in the
 * window): 0 and *slot set, or -1. The key's value is put back as it was.
 */
int carrierid_own_key_slot(pthread_key_t key, int64_t *slot);

#endif
