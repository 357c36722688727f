/* The carrier of a virtual thread, and the OS thread of any live thread. */
#ifndef CARRIERID_CARRIER_THREAD_H
#define CARRIERID_CARRIER_THREAD_H

/* Results of osThreadIdOf besides a tid (> 0). Mirrored in Carrier.java. */
enum {
    CARRIERID_NOT_ALIVE = -1,  /* no JavaThread: unstarted, terminated, or ended during the read */
    CARRIERID_UNREADABLE = -2  /* a verified offset could not be read on a live thread: never expected */
};

#endif
