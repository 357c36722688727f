/*
 * The hot reads on aarch64 Linux: the thread pointer is tpidr_el0 (TLS ABI
 * variant I: glibc's thread descriptor, and with it the pthread key slots, lie
 * below it, so slots are negative offsets). The same routines as
 * x86_64/thread_pointer.S, under the same rules: only ever given a slot and
 * offsets that TlsProbe found and Verification checked on this JVM.
 */
        /* The symbol table's file name: else gcc names a temporary file there, and no two builds are alike. */
        .file   "thread_pointer.S"
        .text

/* uintptr_t carrierid_thread_pointer(void): the calling thread's thread pointer. */
        .globl  carrierid_thread_pointer
        .hidden carrierid_thread_pointer
        .type   carrierid_thread_pointer, %function
        .p2align 4
carrierid_thread_pointer:
        mrs     x0, tpidr_el0
        ret
        .size   carrierid_thread_pointer, . - carrierid_thread_pointer

/* int64_t carrierid_current_java_thread(int64_t slot): the JavaThread* at tp + slot. */
        .globl  carrierid_current_java_thread
        .type   carrierid_current_java_thread, %function
        .p2align 4
carrierid_current_java_thread:
        mrs     x1, tpidr_el0
        ldr     x0, [x1, x0]
        ret
        .size   carrierid_current_java_thread, . - carrierid_current_java_thread

/*
 * int64_t carrierid_current_os_thread_id(int64_t slot, int64_t osthread_offset, int64_t tid_offset):
 * tp + slot -> JavaThread*; +osthread_offset -> OSThread*; +tid_offset -> pid_t, sign-extended.
 * Each load depends on the one before (an address dependency), so no barrier is needed: the
 * fields read belong to the calling thread, written before it ran any Java code. -1 where the
 * slot or the OSThread pointer is NULL, as on x86-64.
 */
        .globl  carrierid_current_os_thread_id
        .type   carrierid_current_os_thread_id, %function
        .p2align 4
carrierid_current_os_thread_id:
        mrs     x3, tpidr_el0
        ldr     x3, [x3, x0]
        cbz     x3, 1f
        ldr     x3, [x3, x1]
        cbz     x3, 1f
        ldrsw   x0, [x3, x2]
        ret
1:      mov     x0, #-1
        ret
        .size   carrierid_current_os_thread_id, . - carrierid_current_os_thread_id

/*
 * int64_t carrierid_carrier_key_at(int64_t slot, int64_t seq): the value at tp + slot where the
 * sequence word below it is seq, else 0, as on x86-64 (carrier_key.c).
 */
        .globl  carrierid_carrier_key_at
        .type   carrierid_carrier_key_at, %function
        .p2align 4
carrierid_carrier_key_at:
        mrs     x2, tpidr_el0
        add     x2, x2, x0
        ldur    x3, [x2, #-8]
        cmp     x3, x1
        b.ne    1f
        ldr     x0, [x2]
        ret
1:      mov     x0, #0
        ret
        .size   carrierid_carrier_key_at, . - carrierid_carrier_key_at

        .section .note.GNU-stack, "", %progbits
