/*
 * The hot reads, in the calling thread's own thread control block, on x86-64
 * Linux: the thread pointer is the %fs base, and %fs:0 holds the thread
 * pointer itself (TLS ABI variant II). A slot is an offset from it.
 *
 * The loads are only ever given a slot and offsets that TlsProbe found and
 * Verification checked with fault-safe reads on this JVM (tls_probe.c,
 * verify.c); see fast_path.c for why they stay valid afterwards. Written in
 * assembly so that an FFM downcall runs exactly these instructions, with no C
 * frame and no further call. aarch64/thread_pointer.S is the same for tpidr_el0.
 */
        /* The symbol table's file name: else gcc names a temporary file there, and no two builds are alike. */
        .file   "thread_pointer.S"
        .text

/* uintptr_t carrierid_thread_pointer(void): the calling thread's thread pointer. */
        .globl  carrierid_thread_pointer
        .hidden carrierid_thread_pointer
        .type   carrierid_thread_pointer, @function
        .p2align 4
carrierid_thread_pointer:
        movq    %fs:0, %rax
        ret
        .size   carrierid_thread_pointer, . - carrierid_thread_pointer

/* int64_t carrierid_current_java_thread(int64_t slot): the JavaThread* at %fs:slot. */
        .globl  carrierid_current_java_thread
        .type   carrierid_current_java_thread, @function
        .p2align 4
carrierid_current_java_thread:
        movq    %fs:(%rdi), %rax
        ret
        .size   carrierid_current_java_thread, . - carrierid_current_java_thread

/*
 * int64_t carrierid_current_os_thread_id(int64_t slot, int64_t osthread_offset, int64_t tid_offset):
 * %fs:slot -> JavaThread*; +osthread_offset -> OSThread*; +tid_offset -> pid_t, sign-extended.
 * -1 where the slot or the OSThread pointer is NULL (a thread with no JavaThread, should one
 * ever call): the caller then asks gettid. Two not-taken branches on the verified path.
 */
        .globl  carrierid_current_os_thread_id
        .type   carrierid_current_os_thread_id, @function
        .p2align 4
carrierid_current_os_thread_id:
        movq    %fs:(%rdi), %rax
        testq   %rax, %rax
        jz      1f
        movq    (%rax,%rsi), %rax
        testq   %rax, %rax
        jz      1f
        movslq  (%rax,%rdx), %rax
        ret
1:      movq    $-1, %rax
        ret
        .size   carrierid_current_os_thread_id, . - carrierid_current_os_thread_id

/*
 * int64_t carrierid_carrier_key_at(int64_t slot, int64_t seq): the value of carrierid's own pthread
 * key at %fs:slot where the sequence word below it (%fs:slot-8) is seq, else 0: what
 * pthread_getspecific answers for a key in the thread descriptor (carrier_key.c).
 */
        .globl  carrierid_carrier_key_at
        .type   carrierid_carrier_key_at, @function
        .p2align 4
carrierid_carrier_key_at:
        cmpq    %fs:-8(%rdi), %rsi
        jne     1f
        movq    %fs:(%rdi), %rax
        ret
1:      xorl    %eax, %eax
        ret
        .size   carrierid_carrier_key_at, . - carrierid_carrier_key_at

        .section .note.GNU-stack, "", @progbits
