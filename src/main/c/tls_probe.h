/* Finds where, relative to %fs, the calling thread's JavaThread* is kept. */
#ifndef CARRIERID_TLS_PROBE_H
#define CARRIERID_TLS_PROBE_H

/* Failures (a found slot is an offset >= 0). Mirrored in TlsProbe.java. */
enum {
    CARRIERID_TLS_NOT_PLATFORM_THREAD = -1, /* caller has no eetop (virtual thread, not HotSpot) */
    CARRIERID_TLS_NO_HOTSPOT_KEY = -2,      /* no pthread key holds this thread's JavaThread* */
    CARRIERID_TLS_LAYOUT_UNKNOWN = -4,      /* our own key values not found once each near %fs */
    CARRIERID_TLS_KEY_NOT_FIXED = -5,       /* HotSpot's key is not at the derived %fs offset */
    CARRIERID_TLS_SAFE_READ_UNAVAILABLE = -6 /* process_vm_readv on our own memory fails (errno reported) */
};

/* How the slot was found. */
enum {
    CARRIERID_TLS_HOW_NONE = 0,
    CARRIERID_TLS_HOW_LAYOUT = 1, /* glibc's key layout learned from two keys of our own */
    CARRIERID_TLS_HOW_VALUE = 2   /* the one place near %fs holding this thread's JavaThread* */
};

/* Indexes of the result array of Native.tlsProbe. Mirrored in TlsProbe.java. */
enum {
    CARRIERID_TLS_RESULT_SLOT = 0,        /* the %fs offset (>= 0) or a failure above */
    CARRIERID_TLS_RESULT_HOW = 1,
    CARRIERID_TLS_RESULT_HOTSPOT_KEY = 2, /* -1: not found */
    CARRIERID_TLS_RESULT_OUR_KEY_A = 3,   /* -1: none could be created */
    CARRIERID_TLS_RESULT_OUR_KEY_B = 4,
    CARRIERID_TLS_RESULT_ERRNO = 5,       /* of the failed fault-safe read, else 0 */
    CARRIERID_TLS_RESULT_LENGTH = 6
};

#endif
