/*
 * Each OS thread's CarrierLocal key (see CarrierKeys.java), in the OS thread's own storage.
 *
 * Why per OS thread: a virtual thread reads the key of the carrier it is mounted on (pinned for
 * the native call), and a new OS thread starts with 0 even when the kernel reuses an old
 * thread's tid or malloc reuses its JavaThread's address.
 *
 * Where: under a pthread key of this library's own, where glibc keeps the key's value in the
 * thread descriptor (keys below 32), at a fixed offset from the thread pointer; then an FFM
 * downcall reads it with two loads and no call (carrierid_carrier_key_at, once
 * Native.carrierKeySlot found and checked the slot). Else (no such key to be had) in a C
 * thread-local, which glibc reaches in a dlopen'ed library through its TLS descriptor: a call.
 *
 * A raw read of a key's slot must refuse what pthread_getspecific refuses: a value left there
 * under an earlier key of the same number (another library's, or a carrierid copy unloaded by a
 * redeploy, whose key could look like a live one). glibc keeps a sequence word beside each value,
 * bumped when a key is made or deleted; the reader compares it with the one this key has, as
 * pthread_getspecific does. carrierKeySlot checks that this holds on this glibc before it is used.
 */
#define _GNU_SOURCE
#include "carrier_key.h"

#include <pthread.h>
#include <stdint.h>

#include "io_carrierid_Native.h"
#include "safe_read.h"
#include "thread_pointer.h"
#include "tls_probe.h"

/* glibc's PTHREAD_KEY_2NDLEVEL_SIZE: keys below it live in the thread descriptor. */
#define KEYS_IN_DESCRIPTOR 32
/*
 * Keys of the descriptor left above ours for TlsProbe, which learns glibc's layout from two keys of
 * its own below 32 (tls_probe.c): without them the fast path itself may not be found. glibc hands
 * out the lowest free key, so the keys above ours are the ones likely free.
 */
#define KEYS_LEFT_FOR_TLS_PROBE 2

/*
 * The pthread key, when one below 30 was had. Global because a pthread key is process-wide: one
 * per loaded copy of this library, made in JNI_OnLoad and given back in JNI_OnUnload (so that
 * redeploys take none for good); written only there, when no other call into this copy can run.
 */
static pthread_key_t key;
static int have_key;

/* Where there is no such key: the C thread-local. */
static __thread int64_t carrier_key_tls;

void carrierid_carrier_key_load(void) {
    pthread_key_t made;
    if (pthread_key_create(&made, NULL) != 0) {
        return; /* all keys taken: the thread-local serves */
    }
    if (made >= KEYS_IN_DESCRIPTOR - KEYS_LEFT_FOR_TLS_PROBE) {
        pthread_key_delete(made); /* outside the descriptor (read through a call either way), or TlsProbe's */
        return;
    }
    key = made;
    have_key = 1;
}

void carrierid_carrier_key_unload(void) {
    if (have_key) {
        have_key = 0;
        pthread_key_delete(key);
    }
}

static int64_t get_key(void) {
    return have_key ? (int64_t) (intptr_t) pthread_getspecific(key) : carrier_key_tls;
}

/* The key's storage, inside the descriptor (a key < 32): pthread_setspecific cannot fail there. */
static void set_key(int64_t value) {
    if (have_key) {
        pthread_setspecific(key, (void *) (intptr_t) value);
    } else {
        carrier_key_tls = value;
    }
}

/* The key, for an FFM critical downcall (JDK 22+) where no slot was found: exported, as the JVM looks it up by name. */
__attribute__((visibility("default"))) int64_t carrierid_current_carrier_key(void) {
    return get_key();
}

JNIEXPORT jlong JNICALL Java_io_carrierid_Native_carrierKey(JNIEnv *env, jclass cls) {
    (void) env;
    (void) cls;
    return (jlong) get_key();
}

JNIEXPORT void JNICALL Java_io_carrierid_Native_setCarrierKey(JNIEnv *env, jclass cls, jlong value) {
    (void) env;
    (void) cls;
    set_key((int64_t) value);
}

/*
 * The sequence word of a key < 32 on this thread: the word below its value's slot (glibc's
 * struct pthread_key_data is {seq, data}), read once a value is set, so that it is current.
 * 0 where it cannot be read.
 */
static uint64_t sequence_of(pthread_key_t k, int64_t slot) {
    void *saved = pthread_getspecific(k);
    char marker;
    uint64_t word = 0;
    pthread_setspecific(k, &marker);
    if (carrierid_safe_tls_u64(slot - 8, &word) != 0) {
        word = 0;
    }
    pthread_setspecific(k, saved);
    return word;
}

/*
 * Whether the reader refuses a stale value as pthread_getspecific does, tried on a key made for
 * it: a value set, the key deleted and made again (same number), the old value still in the slot
 * under the old sequence word; pthread_getspecific refuses it, and once a new value is set the
 * word differs, so the reader given the old word reads 0 and given the new one the new value.
 */
static int stale_values_refused(void) {
    pthread_key_t first, again;
    if (pthread_key_create(&first, NULL) != 0) {
        return 0;
    }
    int64_t slot;
    char old_marker, new_marker;
    uint64_t old_seq = 0, new_seq = 0, left = 0;
    int ok = first < KEYS_IN_DESCRIPTOR && carrierid_own_key_slot(first, &slot) == 0
            && pthread_setspecific(first, &old_marker) == 0
            && carrierid_safe_tls_u64(slot - 8, &old_seq) == 0 && old_seq != 0
            && carrierid_carrier_key_at(slot, (int64_t) old_seq) == (int64_t) (intptr_t) &old_marker;
    pthread_key_delete(first);
    if (!ok || pthread_key_create(&again, NULL) != 0) {
        return 0;
    }
    ok = again == first /* glibc gives the lowest free number back; another thread may have taken it */
            && carrierid_safe_tls_u64(slot, &left) == 0 && left == (uint64_t) (uintptr_t) &old_marker
            && pthread_getspecific(again) == NULL
            && pthread_setspecific(again, &new_marker) == 0
            && carrierid_safe_tls_u64(slot - 8, &new_seq) == 0 && new_seq != old_seq
            && carrierid_carrier_key_at(slot, (int64_t) old_seq) == 0
            && carrierid_carrier_key_at(slot, (int64_t) new_seq) == (int64_t) (intptr_t) &new_marker;
    pthread_setspecific(again, NULL);
    pthread_key_delete(again);
    return ok;
}

struct fresh_check {
    int64_t slot;
    int64_t seq;
    int ok;
};

/* On a new OS thread: the reader says 0 before a value is set, then the value, then 0 again. */
static void *check_on_fresh_thread(void *arg) {
    struct fresh_check *check = arg;
    char marker;
    int ok = carrierid_carrier_key_at(check->slot, check->seq) == 0 && pthread_getspecific(key) == NULL;
    pthread_setspecific(key, &marker);
    ok = ok && carrierid_carrier_key_at(check->slot, check->seq) == (int64_t) (intptr_t) &marker;
    pthread_setspecific(key, NULL);
    check->ok = ok && carrierid_carrier_key_at(check->slot, check->seq) == 0;
    return NULL;
}

static int agrees_on_fresh_thread(int64_t slot, int64_t seq) {
    struct fresh_check check = { slot, seq, 0 };
    pthread_t thread;
    if (pthread_create(&thread, NULL, check_on_fresh_thread, &check) != 0) {
        return 0; /* e.g. a thread limit: the call serves */
    }
    pthread_join(thread, NULL);
    return check.ok;
}

static jlong find_key_slot(int64_t *slot, int64_t *seq) {
    if (!have_key) {
        return io_carrierid_Native_KEY_SLOT_THREAD_LOCAL;
    }
    if (carrierid_own_key_slot(key, slot) != 0) {
        return io_carrierid_Native_KEY_SLOT_NOT_FOUND;
    }
    *seq = (int64_t) sequence_of(key, *slot);
    if (*seq == 0 || carrierid_carrier_key_at(*slot, *seq) != get_key()) {
        return io_carrierid_Native_KEY_SLOT_NOT_FOUND;
    }
    if (!stale_values_refused() || !agrees_on_fresh_thread(*slot, *seq)) {
        return io_carrierid_Native_KEY_SLOT_NOT_VERIFIED;
    }
    return io_carrierid_Native_KEY_SLOT_FOUND;
}

JNIEXPORT jlongArray JNICALL Java_io_carrierid_Native_carrierKeySlot(JNIEnv *env, jclass cls) {
    (void) cls;
    jlong out[io_carrierid_Native_KEY_SLOT_RESULT_LENGTH] = { 0 };
    int64_t slot = 0, seq = 0;
    out[io_carrierid_Native_KEY_SLOT_STATUS] = find_key_slot(&slot, &seq);
    out[io_carrierid_Native_KEY_SLOT] = slot;
    out[io_carrierid_Native_KEY_SLOT_SEQUENCE] = seq;
    jlongArray array = (*env)->NewLongArray(env, io_carrierid_Native_KEY_SLOT_RESULT_LENGTH);
    if (array != NULL) {
        (*env)->SetLongArrayRegion(env, array, 0, io_carrierid_Native_KEY_SLOT_RESULT_LENGTH, out);
    }
    return array;
}
