/*
 * The hot reads, in the calling thread's own thread control block (%fs on
 * x86-64 Linux; %fs:0 is the thread pointer itself, x86-64 TLS ABI variant II).
 *
 * They are only ever given a slot and offsets that TlsProbe found and
 * Verification checked with fault-safe reads on this JVM (tls_probe.c,
 * verify.c); see fast_path.c for why the loads stay valid afterwards.
 * Written in assembly so that an FFM downcall runs exactly these instructions,
 * with no C frame and no further call.
 */
        .text

/* uint64_t carrierid_fs_load(int64_t offset): the 8 bytes at %fs:offset. */
        .globl  carrierid_fs_load
        .hidden carrierid_fs_load
        .type   carrierid_fs_load, @function
        .p2align 4
carrierid_fs_load:
        movq    %fs:(%rdi), %rax
        ret
        .size   carrierid_fs_load, . - carrierid_fs_load

/* int64_t carrierid_ffm_java_thread(int64_t slot): the JavaThread* at %fs:slot. */
        .globl  carrierid_ffm_java_thread
        .type   carrierid_ffm_java_thread, @function
        .p2align 4
carrierid_ffm_java_thread:
        movq    %fs:(%rdi), %rax
        ret
        .size   carrierid_ffm_java_thread, . - carrierid_ffm_java_thread

/*
 * int64_t carrierid_ffm_os_thread_id(int64_t slot, int64_t osthread_offset, int64_t tid_offset):
 * %fs:slot -> JavaThread*; +osthread_offset -> OSThread*; +tid_offset -> pid_t, sign-extended.
 */
        .globl  carrierid_ffm_os_thread_id
        .type   carrierid_ffm_os_thread_id, @function
        .p2align 4
carrierid_ffm_os_thread_id:
        movq    %fs:(%rdi), %rax
        movq    (%rax,%rsi), %rax
        movslq  (%rax,%rdx), %rax
        ret
        .size   carrierid_ffm_os_thread_id, . - carrierid_ffm_os_thread_id

        .section .note.GNU-stack, "", @progbits
