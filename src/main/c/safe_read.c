/*
 * Fault-safe reads, used only while probing and verifying (never on the hot
 * path: each is a syscall, about 1 us here).
 *
 * process_vm_readv on our own pid copies through the kernel, which returns
 * EFAULT (or a short count) for unmapped addresses instead of raising SIGSEGV.
 * We must not install a SIGSEGV handler of our own: HotSpot owns that signal.
 */
#define _GNU_SOURCE
#include "safe_read.h"

#include "fs_load.h"

#include <errno.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

long carrierid_safe_copy(uintptr_t address, void *out, size_t len) {
    if (address == 0) {
        return -1;
    }
    struct iovec local = { .iov_base = out, .iov_len = len };
    struct iovec remote = { .iov_base = (void *) address, .iov_len = len };
    ssize_t n = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
    return n < 0 ? -1 : (long) n;
}

int carrierid_safe_u64(uintptr_t address, uint64_t *out) {
    return carrierid_safe_copy(address, out, sizeof *out) == (long) sizeof *out ? 0 : -1;
}

int carrierid_safe_u32(uintptr_t address, uint32_t *out) {
    return carrierid_safe_copy(address, out, sizeof *out) == (long) sizeof *out ? 0 : -1;
}

int carrierid_safe_fs_u64(int64_t offset, uint64_t *out) {
    /* %fs:0 is the thread pointer (x86-64 TLS ABI), always mapped; the rest is checked. */
    uintptr_t thread_pointer = (uintptr_t) carrierid_fs_load(0);
    return carrierid_safe_u64(thread_pointer + (uintptr_t) offset, out);
}

int carrierid_safe_read_errno(uintptr_t address, void *out, size_t len) {
    struct iovec local = { .iov_base = out, .iov_len = len };
    struct iovec remote = { .iov_base = (void *) address, .iov_len = len };
    errno = 0;
    ssize_t n = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
    if (n == (ssize_t) len) {
        return 0;
    }
    return errno != 0 ? errno : EIO;
}
