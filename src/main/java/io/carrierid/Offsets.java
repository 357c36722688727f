package io.carrierid;

/**
 * The byte offsets the fast path walks: {@code JavaThread* + osThread} holds the
 * {@code OSThread*}, {@code OSThread* + threadId} holds the kernel tid. Where
 * the JDK has it (24+), {@code JavaThread* + monitorOwnerId} holds the
 * {@code threadId()} of the virtual thread mounted on that carrier (else the
 * carrier's own), which lets verification check the walk from a virtual
 * thread; {@link #ABSENT} where the JDK has no such field.
 */
record Offsets(long osThread, long threadId, long monitorOwnerId) {
    static final long ABSENT = -1;

    Offsets {
        if (osThread < 0 || threadId < 0 || monitorOwnerId < ABSENT) {
            throw new IllegalArgumentException("negative offset");
        }
    }

    boolean hasMonitorOwnerId() {
        return monitorOwnerId != ABSENT;
    }

    /** The fields that differ from {@code other}, e.g. "JavaThread::_osthread 0x230 vs 0x3f8"; empty if none. */
    String differences(Offsets other) {
        StringBuilder out = new StringBuilder();
        difference(out, "JavaThread::_osthread", osThread, other.osThread);
        difference(out, "OSThread::_thread_id", threadId, other.threadId);
        difference(out, "JavaThread::_monitor_owner_id", monitorOwnerId, other.monitorOwnerId);
        return out.toString();
    }

    private static void difference(StringBuilder out, String field, long mine, long theirs) {
        if (mine != theirs) {
            out.append(out.length() > 0 ? ", " : "").append(field).append(' ').append(cell(mine))
                    .append(" vs ").append(cell(theirs));
        }
    }

    @Override
    public String toString() {
        return "JavaThread::_osthread=" + hex(osThread) + " OSThread::_thread_id=" + hex(threadId)
                + " JavaThread::_monitor_owner_id=" + cell(monitorOwnerId);
    }

    /** An offset as the table writes it: hex, or "-" when absent. */
    static String cell(long offset) {
        return offset == ABSENT ? "-" : hex(offset);
    }

    static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }
}
