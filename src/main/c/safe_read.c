/*
 * Fault-safe reads, used while probing and verifying and by osThreadIdOf
 * (never on the hot path: each is a syscall or a few, about 1 us here).
 *
 * Two ways to have the kernel copy from an address we do not trust, both
 * returning EFAULT (or a short count) for unmapped memory instead of raising
 * SIGSEGV; we must not install a SIGSEGV handler of our own (HotSpot owns it):
 *  - process_vm_readv on our own pid: one syscall;
 *  - write(2) from the address into a pipe, then read it back: where
 *    process_vm_readv is refused (ENOSYS under qemu-user, EPERM under a
 *    seccomp profile), a pipe write is not.
 * The choice is made per call (no state kept): process_vm_readv first, the pipe
 * when it is refused, so a seccomp filter installed later is also survived.
 */
#define _GNU_SOURCE
#include "safe_read.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#include "io_carrierid_Native.h"
#include "thread_pointer.h"

/*
 * Pipe writes never cross a 4 KiB boundary: the kernel fails a pipe write with
 * EFAULT as a whole when any byte of the page buffer it fills faults (pipe_write),
 * so a write that ran from mapped into unmapped memory would copy nothing. A
 * 4 KiB-aligned piece lies within one page (page sizes are multiples of 4 KiB),
 * so each piece is mapped entirely or not at all.
 */
#define PIPE_CHUNK 4096

/* process_vm_readv: bytes copied (short when the range runs into unmapped memory), or -1 with errno. */
static long copy_by_vm_readv(uintptr_t address, void *out, size_t len) {
    struct iovec local = { .iov_base = out, .iov_len = len };
    struct iovec remote = { .iov_base = (void *) address, .iov_len = len };
    return (long) process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
}

static ssize_t write_retrying(int fd, const void *from, size_t len) {
    ssize_t n;
    do {
        n = write(fd, from, len);
    } while (n < 0 && errno == EINTR);
    return n;
}

/* Reads exactly len bytes back out of the pipe (they are all in it already). */
static int read_back(int fd, unsigned char *to, size_t len) {
    size_t done = 0;
    while (done < len) {
        ssize_t n = read(fd, to + done, len - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return -1;
        }
        done += (size_t) n;
    }
    return 0;
}

/* The pipe: bytes copied (short at unmapped memory: the kernel writes what it could), or -1 with errno. */
static long copy_by_pipe(uintptr_t address, void *out, size_t len) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        return -1;
    }
    size_t done = 0;
    int error = 0;
    while (done < len) {
        size_t to_boundary = PIPE_CHUNK - ((address + done) % PIPE_CHUNK);
        size_t chunk = len - done < to_boundary ? len - done : to_boundary;
        ssize_t n = write_retrying(fds[1], (const void *) (address + done), chunk);
        if (n <= 0) {
            error = n < 0 ? errno : EIO;
            break;
        }
        if (read_back(fds[0], (unsigned char *) out + done, (size_t) n) != 0) {
            error = errno != 0 ? errno : EIO;
            break;
        }
        done += (size_t) n;
        if ((size_t) n < chunk) {
            break; /* the rest is unmapped */
        }
    }
    close(fds[0]);
    close(fds[1]);
    if (done == 0 && error != 0) {
        errno = error;
        return -1;
    }
    return (long) done;
}

static int refused(int error) {
    return error == ENOSYS || error == EPERM || error == EACCES;
}

long carrierid_safe_copy(uintptr_t address, void *out, size_t len) {
    if (address == 0) {
        return -1;
    }
    long n = copy_by_vm_readv(address, out, len);
    if (n < 0 && refused(errno)) {
        n = copy_by_pipe(address, out, len);
    }
    return n < 0 ? -1 : n;
}

int carrierid_safe_u64(uintptr_t address, uint64_t *out) {
    return carrierid_safe_copy(address, out, sizeof *out) == (long) sizeof *out ? 0 : -1;
}

int carrierid_safe_u32(uintptr_t address, uint32_t *out) {
    return carrierid_safe_copy(address, out, sizeof *out) == (long) sizeof *out ? 0 : -1;
}

int carrierid_safe_tls_u64(int64_t offset, uint64_t *out) {
    /* The thread pointer itself comes from a register; what lies at an offset from it is checked. */
    return carrierid_safe_u64(carrierid_thread_pointer() + (uintptr_t) offset, out);
}

int carrierid_safe_read_method(int *vm_readv_errno, int *pipe_errno) {
    uint64_t known = 0x6361727269657269u, copy = 0; /* a local: certainly mapped */
    *vm_readv_errno = 0;
    *pipe_errno = 0;
    errno = 0;
    if (copy_by_vm_readv((uintptr_t) &known, &copy, sizeof copy) == (long) sizeof copy && copy == known) {
        return io_carrierid_Native_READ_PROCESS_VM_READV;
    }
    *vm_readv_errno = errno != 0 ? errno : EIO;
    copy = 0;
    errno = 0;
    if (refused(*vm_readv_errno) && copy_by_pipe((uintptr_t) &known, &copy, sizeof copy) == (long) sizeof copy
        && copy == known) {
        return io_carrierid_Native_READ_PIPE;
    }
    *pipe_errno = errno != 0 ? errno : EIO;
    return io_carrierid_Native_READ_NONE;
}
