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

/* The 8 bytes at the calling thread's thread pointer + offset, fault-safely: 0 and *out set, or -1. */
int carrierid_safe_tls_u64(int64_t offset, uint64_t *out);

/*
 * Which way of reading fault-safely works here, tried on a known-good address:
 * Native.READ_PROCESS_VM_READV, READ_PIPE (process_vm_readv refused: *vm_readv_errno
 * says why) or READ_NONE (*pipe_errno says why the pipe failed too).
 */
int carrierid_safe_read_method(int *vm_readv_errno, int *pipe_errno);

#endif
