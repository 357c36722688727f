/*
 * Discovers the %fs offset of the calling thread's JavaThread*, assuming
 * nothing about glibc's layout:
 *
 *  1. The truth is java.lang.Thread.eetop of the calling (platform) thread.
 *  2. HotSpot stores the same pointer under a pthread key of its own
 *     (ThreadLocalStorage::init, os/posix/threadLocalStorage_posix.cpp). Find
 *     that key k by asking pthread_getspecific for every key: the supported
 *     API, which cannot fault.
 *  3. glibc keeps the values of the first keys in an array inside its thread
 *     descriptor, at %fs:(base + stride * key). Learn base and stride by
 *     creating two keys of our own, storing unique markers under them, and
 *     finding the markers in a fault-safe copy of the memory at %fs.
 *  4. The offset for k is then base + stride * k, and must hold the truth.
 *
 * A key whose value is not at a fixed offset (glibc keeps keys >= 32 in a
 * second-level array; musl differs) fails step 4 and the fast path stays off.
 * All reads of TLS memory here go through carrierid_safe_copy.
 */
#define _GNU_SOURCE
#include "tls_probe.h"

#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "eetop.h"
#include "fs_load.h"
#include "io_carrierid_Native.h"
#include "safe_read.h"

/* How much of the thread descriptor to search for our markers (glibc 2.36's struct pthread is ~2.3 KiB). */
#define WINDOW_BYTES 4096

static long hotspot_key(uintptr_t java_thread) {
    for (long k = 0; k < PTHREAD_KEYS_MAX; k++) {
        if ((uintptr_t) pthread_getspecific((pthread_key_t) k) == java_thread) {
            return k;
        }
    }
    return -1;
}

/* The one offset in the window holding value, or -1 when it is there zero or several times. */
static long unique_offset(const unsigned char *window, long len, uintptr_t value) {
    long found = -1;
    for (long at = 0; at + (long) sizeof value <= len; at += sizeof value) {
        uintptr_t word;
        memcpy(&word, window + at, sizeof word);
        if (word == value) {
            if (found >= 0) {
                return -1;
            }
            found = at;
        }
    }
    return found;
}

/* Learns base and stride of the key array from two keys of our own; 0 on success. */
static int key_layout(uintptr_t thread_pointer, long *base, long *stride, int *no_keys) {
    pthread_key_t a, b;
    *no_keys = 0;
    if (pthread_key_create(&a, NULL) != 0) {
        *no_keys = 1;
        return -1;
    }
    if (pthread_key_create(&b, NULL) != 0) {
        pthread_key_delete(a);
        *no_keys = 1;
        return -1;
    }
    /* Markers: addresses of two locals of this frame, values nothing else in the descriptor holds. */
    char marker_a, marker_b;
    int result = -1;
    if (pthread_setspecific(a, &marker_a) == 0 && pthread_setspecific(b, &marker_b) == 0) {
        _Static_assert(WINDOW_BYTES % 8 == 0, "the window is read in words");
        unsigned char window[WINDOW_BYTES];
        long len = carrierid_safe_copy(thread_pointer, window, sizeof window);
        long at_a = len > 0 ? unique_offset(window, len, (uintptr_t) &marker_a) : -1;
        long at_b = len > 0 ? unique_offset(window, len, (uintptr_t) &marker_b) : -1;
        long keys_apart = (long) b - (long) a;
        if (at_a >= 0 && at_b >= 0 && keys_apart != 0 && (at_b - at_a) % keys_apart == 0) {
            *stride = (at_b - at_a) / keys_apart;
            *base = at_a - *stride * (long) a;
            result = *stride > 0 ? 0 : -1;
        }
    }
    pthread_setspecific(a, NULL);
    pthread_setspecific(b, NULL);
    pthread_key_delete(b);
    pthread_key_delete(a);
    return result;
}

static long find_slot(JNIEnv *env, jobject current) {
    uintptr_t java_thread = carrierid_eetop(env, current);
    if (java_thread == 0) {
        return CARRIERID_TLS_NOT_PLATFORM_THREAD;
    }
    long key = hotspot_key(java_thread);
    if (key < 0) {
        return CARRIERID_TLS_NO_HOTSPOT_KEY;
    }
    uintptr_t thread_pointer = (uintptr_t) carrierid_fs_load(0);
    long base, stride;
    int no_keys;
    if (key_layout(thread_pointer, &base, &stride, &no_keys) != 0) {
        return no_keys ? CARRIERID_TLS_NO_KEYS : CARRIERID_TLS_LAYOUT_UNKNOWN;
    }
    long slot = base + stride * key;
    uint64_t value;
    if (slot < 0 || slot >= WINDOW_BYTES || carrierid_safe_fs_u64(slot, &value) != 0 || value != java_thread) {
        return CARRIERID_TLS_KEY_NOT_FIXED;
    }
    return slot;
}

JNIEXPORT jlong JNICALL Java_io_carrierid_Native_tlsSlot(JNIEnv *env, jclass cls, jobject current) {
    (void) cls;
    return (jlong) find_slot(env, current);
}
