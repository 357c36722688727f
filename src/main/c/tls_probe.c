/*
 * Discovers where, relative to the thread pointer (%fs on x86-64, tpidr_el0 on
 * aarch64), the calling thread's JavaThread* is kept, assuming nothing about
 * glibc's layout:
 *
 *  1. The truth is java.lang.Thread.eetop of the calling (platform) thread.
 *  2. HotSpot stores the same pointer under a pthread key of its own
 *     (ThreadLocalStorage::init, os/posix/threadLocalStorage_posix.cpp). Find
 *     that key k by asking pthread_getspecific for every key: the supported
 *     API, which cannot fault.
 *  3. glibc keeps the values of the first keys in an array inside its thread
 *     descriptor, at tp + base + stride * key. Learn base and stride by
 *     creating two keys of our own, storing unique markers under them, and
 *     finding the markers in a fault-safe copy of the descriptor's memory.
 *  4. The offset for k is then base + stride * k, and must hold the truth.
 *
 * A key whose value is not at a fixed offset fails step 4 and the fast path
 * stays off (musl differs). glibc keeps keys >= 32 in second-level blocks
 * outside the descriptor: such a key is refused before any search, because the
 * one word of the descriptor still equal to the JavaThread* on the threads
 * HotSpot started is pthread_create's start argument, which other threads (the
 * launcher's main thread, JNI-attached ones) hold something else in.
 * All reads of TLS memory here go through carrierid_safe_copy.
 *
 * Where the descriptor lies: x86-64 (TLS variant II) keeps glibc's struct
 * pthread at the thread pointer and above; aarch64 (variant I) keeps it just
 * below, so there the slot is a negative offset (measured: tp - 1576 for key 0,
 * glibc 2.36). The window searched is 4 KiB on that side.
 */
#define _GNU_SOURCE
#include "tls_probe.h"

#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "eetop.h"
#include "io_carrierid_Native.h"
#include "safe_read.h"
#include "thread_pointer.h"

/* How much of the thread descriptor to search for our markers (glibc 2.36's struct pthread is ~2.3 KiB), */
#define WINDOW_BYTES 4096
/* and where the window starts, relative to the thread pointer. */
#if defined(__aarch64__)
#define WINDOW_START (-WINDOW_BYTES)
#else
#define WINDOW_START 0
#endif

/* glibc's PTHREAD_KEY_2NDLEVEL_SIZE: keys below it live in the descriptor (specific_1stblock). */
#define KEYS_IN_DESCRIPTOR 32

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

/* A fault-safe copy of the window; the number of bytes copied, <= 0 when none could be. */
static long copy_window(uintptr_t thread_pointer, unsigned char *window) {
    return carrierid_safe_copy(thread_pointer + (uintptr_t) (intptr_t) WINDOW_START, window, WINDOW_BYTES);
}

/*
 * Creates two keys of our own, stores a unique marker under each, and finds the
 * markers in a fault-safe copy of the window: key number and offset in the
 * window of each, -1 for a key that could not be created or a marker not found
 * exactly once (a key >= 32 lives outside the descriptor). The keys are deleted again.
 */
static void place_markers(uintptr_t thread_pointer, long *keys, long *offsets) {
    pthread_key_t created[2];
    int count = 0;
    keys[0] = keys[1] = offsets[0] = offsets[1] = -1;
    while (count < 2 && pthread_key_create(&created[count], NULL) == 0) {
        keys[count] = (long) created[count];
        count++;
    }
    /* Markers: addresses of two locals of this frame, values nothing else in the descriptor holds. */
    char markers[2];
    int set = 1;
    for (int i = 0; i < count; i++) {
        set = set && pthread_setspecific(created[i], &markers[i]) == 0;
    }
    if (set && count > 0) {
        _Static_assert(WINDOW_BYTES % 8 == 0, "the window is read in words");
        unsigned char window[WINDOW_BYTES];
        long len = copy_window(thread_pointer, window);
        for (int i = 0; i < count && len > 0; i++) {
            offsets[i] = unique_offset(window, len, (uintptr_t) &markers[i]);
        }
    }
    for (int i = count - 1; i >= 0; i--) {
        pthread_setspecific(created[i], NULL);
        pthread_key_delete(created[i]);
    }
}

int carrierid_own_key_slot(pthread_key_t key, int64_t *slot) {
    void *saved = pthread_getspecific(key);
    char marker;
    long at = -1;
    if (pthread_setspecific(key, &marker) == 0) {
        unsigned char window[WINDOW_BYTES];
        long len = copy_window(carrierid_thread_pointer(), window);
        at = len > 0 ? unique_offset(window, len, (uintptr_t) &marker) : -1;
    }
    pthread_setspecific(key, saved);
    if (at < 0) {
        return -1;
    }
    *slot = at + WINDOW_START;
    return 0;
}

/* Plausible distances between two keys' slots: glibc's is 16 (a sequence number and the value). */
#define MIN_STRIDE 8
#define MAX_STRIDE 64

/*
 * The slot of HotSpot's key as an offset in the window (-1: none), from whatever could be learned:
 *  - two markers found: glibc's layout (base + stride * key), as glibc itself computes it;
 *  - otherwise the places in the window that hold this thread's JavaThread*: one place
 *    is the slot; several (a thread HotSpot started also has its JavaThread* as
 *    pthread_create's argument in the descriptor) are narrowed by the one marker found,
 *    if any, to those at a plausible stride from it.
 * Verification then checks the slot on several fresh threads, each with its own JavaThread*.
 */
static long slot_of(uintptr_t thread_pointer, uintptr_t java_thread, long key, long *keys, long *how) {
    long offsets[2];
    place_markers(thread_pointer, keys, offsets);
    if (offsets[0] >= 0 && offsets[1] >= 0 && keys[1] != keys[0] && (offsets[1] - offsets[0]) % (keys[1] - keys[0]) == 0) {
        long stride = (offsets[1] - offsets[0]) / (keys[1] - keys[0]);
        if (stride > 0) {
            *how = io_carrierid_Native_TLS_HOW_LAYOUT;
            return offsets[0] - stride * keys[0] + stride * key;
        }
    }
    *how = io_carrierid_Native_TLS_HOW_VALUE;
    unsigned char window[WINDOW_BYTES];
    long len = copy_window(thread_pointer, window);
    long found = -1;
    int candidates = 0;
    for (long at = 0; at + 8 <= len; at += 8) {
        uintptr_t word;
        memcpy(&word, window + at, sizeof word);
        if (word != java_thread) {
            continue;
        }
        if (offsets[0] >= 0 && keys[0] != key) { /* one marker: keep places at a plausible stride from it */
            long apart = offsets[0] - at;
            long keys_apart = keys[0] - key;
            if (apart % keys_apart != 0 || apart / keys_apart < MIN_STRIDE || apart / keys_apart > MAX_STRIDE) {
                continue;
            }
        }
        found = at;
        candidates++;
    }
    return candidates == 1 ? found : -1;
}

/* The result's status; the slot, keys and how are filled in on the way. */
static jlong find_slot(JNIEnv *env, jobject current, jlong *out) {
    uintptr_t java_thread = carrierid_eetop(env, current);
    if (java_thread == 0) {
        return io_carrierid_Native_TLS_NOT_PLATFORM_THREAD;
    }
    /* First: can this process read its own memory fault-safely at all, and how? */
    int vm_readv_errno, pipe_errno;
    out[io_carrierid_Native_TLS_READ_METHOD] = carrierid_safe_read_method(&vm_readv_errno, &pipe_errno);
    out[io_carrierid_Native_TLS_VM_READV_ERRNO] = vm_readv_errno;
    out[io_carrierid_Native_TLS_PIPE_ERRNO] = pipe_errno;
    if (out[io_carrierid_Native_TLS_READ_METHOD] == io_carrierid_Native_READ_NONE) {
        return io_carrierid_Native_TLS_SAFE_READ_UNAVAILABLE;
    }
    long key = hotspot_key(java_thread);
    out[io_carrierid_Native_TLS_HOTSPOT_KEY] = key;
    if (key < 0) {
        return io_carrierid_Native_TLS_NO_HOTSPOT_KEY;
    }
    if (key >= KEYS_IN_DESCRIPTOR) {
        return io_carrierid_Native_TLS_KEY_OUTSIDE_DESCRIPTOR;
    }
    uintptr_t thread_pointer = carrierid_thread_pointer();
    long keys[2], how = io_carrierid_Native_TLS_HOW_NONE;
    long at = slot_of(thread_pointer, java_thread, key, keys, &how);
    out[io_carrierid_Native_TLS_OUR_KEY_A] = keys[0];
    out[io_carrierid_Native_TLS_OUR_KEY_B] = keys[1];
    out[io_carrierid_Native_TLS_HOW] = how;
    if (at < 0 && how == io_carrierid_Native_TLS_HOW_VALUE) {
        return io_carrierid_Native_TLS_LAYOUT_UNKNOWN;
    }
    long slot = at + WINDOW_START;
    uint64_t value;
    if (at < 0 || at + 8 > WINDOW_BYTES || carrierid_safe_tls_u64(slot, &value) != 0 || value != java_thread) {
        return io_carrierid_Native_TLS_KEY_NOT_FIXED;
    }
    out[io_carrierid_Native_TLS_SLOT] = slot;
    return io_carrierid_Native_TLS_FOUND;
}

JNIEXPORT jlongArray JNICALL Java_io_carrierid_Native_tlsProbe(JNIEnv *env, jclass cls, jobject current) {
    (void) cls;
    jlong out[io_carrierid_Native_TLS_RESULT_LENGTH] = { 0 };
    out[io_carrierid_Native_TLS_HOTSPOT_KEY] = -1;
    out[io_carrierid_Native_TLS_OUR_KEY_A] = -1;
    out[io_carrierid_Native_TLS_OUR_KEY_B] = -1;
    out[io_carrierid_Native_TLS_WINDOW_START] = WINDOW_START;
    out[io_carrierid_Native_TLS_STATUS] = find_slot(env, current, out);
    jlongArray array = (*env)->NewLongArray(env, io_carrierid_Native_TLS_RESULT_LENGTH);
    if (array != NULL) {
        (*env)->SetLongArrayRegion(env, array, 0, io_carrierid_Native_TLS_RESULT_LENGTH, out);
    }
    return array;
}
