/* Reads of this process's memory that fail with an error instead of SIGSEGV. */
#ifndef CARRIERID_SAFE_READ_H
#define CARRIERID_SAFE_READ_H

#include <stddef.h>
#include <stdint.h>

/*
 * Copies up to len bytes at address into out. Returns the number of bytes
 * copied (fewer than len when the range runs into unmapped memory), or -1.
 */
long carrierid_safe_copy(uintptr_t address, void *out, size_t len);

/* 0 and *out set when all 8 (or 4) bytes could be read; -1 otherwise. */
int carrierid_safe_u64(uintptr_t address, uint64_t *out);
int carrierid_safe_u32(uintptr_t address, uint32_t *out);

/* The 8 bytes at %fs:offset of the calling thread, fault-safely: 0 and *out set, or -1. */
int carrierid_safe_fs_u64(int64_t offset, uint64_t *out);

/* Reads len bytes at a known-good address: 0, or the errno that says why fault-safe reads are refused here. */
int carrierid_safe_read_errno(uintptr_t address, void *out, size_t len);

#endif
