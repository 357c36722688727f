/* The assembly routines (asm/x86_64/fs_load.S): loads from the calling thread's %fs segment. */
#ifndef CARRIERID_FS_LOAD_H
#define CARRIERID_FS_LOAD_H

#include <stdint.h>

/* Returns the 8 bytes at %fs:offset. offset 0 is the thread pointer (the TCB's address). */
uint64_t carrierid_fs_load(int64_t offset);

#endif
