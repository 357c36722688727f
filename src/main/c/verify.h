/* Checks the fast path's walk on the calling thread against independent truths. */
#ifndef CARRIERID_VERIFY_H
#define CARRIERID_VERIFY_H

/* Outcome codes, element 0 of the result array. Mirrored in Verification.java. */
enum {
    CARRIERID_VERIFY_OK = 0,
    CARRIERID_VERIFY_NOT_PLATFORM_THREAD = 1, /* no eetop to compare with */
    CARRIERID_VERIFY_TLS_UNREADABLE = 2,
    CARRIERID_VERIFY_TLS_MISMATCH = 3,        /* %fs slot != eetop */
    CARRIERID_VERIFY_OSTHREAD_UNREADABLE = 4,
    CARRIERID_VERIFY_TID_UNREADABLE = 5,
    CARRIERID_VERIFY_TID_MISMATCH = 6,        /* walked tid != gettid() */
    CARRIERID_VERIFY_FAST_PATH_DIFFERS = 7    /* the real fast routine disagrees with the checked walk */
};

/* Indexes of the result array: what was seen, for the report. */
enum {
    CARRIERID_VERIFY_CODE = 0,
    CARRIERID_VERIFY_EETOP = 1,
    CARRIERID_VERIFY_TLS_VALUE = 2,
    CARRIERID_VERIFY_GETTID = 3,
    CARRIERID_VERIFY_WALKED_TID = 4,
    CARRIERID_VERIFY_RESULT_LENGTH = 5
};

#endif
