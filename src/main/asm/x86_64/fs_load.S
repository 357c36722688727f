/*
 * carrierid_fs_load(offset): the 8 bytes at %fs:offset, i.e. in the calling
 * thread's own thread control block (glibc's struct pthread on x86-64 Linux).
 *
 * This is the whole of the hot read: one instruction, no call, no check.
 * It is only ever given offsets that TlsProbe found and Verification checked
 * with fault-safe reads on this JVM (see tls_probe.c, verify.c). %fs:0 is the
 * thread pointer itself (x86-64 TLS ABI, variant II), which tls_probe.c uses.
 */
        .text
        .globl  carrierid_fs_load
        .hidden carrierid_fs_load
        .type   carrierid_fs_load, @function
        .p2align 4
carrierid_fs_load:
        movq    %fs:(%rdi), %rax
        ret
        .size   carrierid_fs_load, . - carrierid_fs_load

        .section .note.GNU-stack, "", @progbits
