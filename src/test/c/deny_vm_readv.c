/*
 * Test-only, LD_PRELOADed into a JVM: process_vm_readv fails with EPERM, as
 * under a seccomp profile that refuses it. carrierid must fall back and say
 * exactly that, not blame glibc.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/uio.h>

ssize_t process_vm_readv(pid_t pid, const struct iovec *local, unsigned long liovcnt,
                         const struct iovec *remote, unsigned long riovcnt, unsigned long flags) {
    (void) pid;
    (void) local;
    (void) liovcnt;
    (void) remote;
    (void) riovcnt;
    (void) flags;
    errno = EPERM;
    return -1;
}
