/*
 * The carrier of a virtual thread, and the OS thread of any live thread.
 * osThreadIdOf's results besides a tid (OS_THREAD_NOT_ALIVE, OS_THREAD_UNREADABLE)
 * are declared once, in Native.java.
 */
#ifndef CARRIERID_CARRIER_THREAD_H
#define CARRIERID_CARRIER_THREAD_H

#endif
