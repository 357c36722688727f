/*
 * Finds where, relative to the thread pointer, the calling thread's JavaThread*
 * is kept: Native.tlsProbe. Its result array's layout and codes are declared
 * once, in Native.java (TLS_*, READ_*), and reach C through the header javac writes.
 */
#ifndef CARRIERID_TLS_PROBE_H
#define CARRIERID_TLS_PROBE_H

#endif
