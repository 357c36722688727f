/*
 * Test-only, LD_PRELOADed into a JVM together with deny_vm_readv: pipe2 fails
 * with EMFILE, so that neither fault-safe read works. carrierid must fall back
 * and name both refusals.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <unistd.h>

int pipe2(int fds[2], int flags) {
    (void) fds;
    (void) flags;
    errno = EMFILE;
    return -1;
}
