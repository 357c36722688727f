/* Finds where, relative to %fs, the calling thread's JavaThread* is kept. */
#ifndef CARRIERID_TLS_PROBE_H
#define CARRIERID_TLS_PROBE_H

/* Failures (a found slot is an offset >= 0). Mirrored in TlsProbe.java. */
enum {
    CARRIERID_TLS_NOT_PLATFORM_THREAD = -1, /* caller has no eetop (virtual thread, not HotSpot) */
    CARRIERID_TLS_NO_HOTSPOT_KEY = -2,      /* no pthread key holds this thread's JavaThread* */
    CARRIERID_TLS_NO_KEYS = -3,             /* pthread_key_create failed (keys exhausted) */
    CARRIERID_TLS_LAYOUT_UNKNOWN = -4,      /* our own key values not found once each near %fs */
    CARRIERID_TLS_KEY_NOT_FIXED = -5        /* HotSpot's key is not at the derived %fs offset */
};

#endif
