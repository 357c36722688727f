package io.carrierid;

/**
 * The byte offsets the fast path walks: {@code JavaThread* + osThread} holds the
 * {@code OSThread*}, {@code OSThread* + threadId} holds the kernel tid.
 */
record Offsets(long osThread, long threadId) {
    Offsets {
        if (osThread < 0 || threadId < 0) {
            throw new IllegalArgumentException("negative offset");
        }
    }

    /** Names of the fields that differ from {@code other}, e.g. "JavaThread::_osthread 0x230 vs 0x3f8". */
    String differences(Offsets other) {
        StringBuilder out = new StringBuilder();
        if (osThread != other.osThread) {
            out.append("JavaThread::_osthread ").append(hex(osThread)).append(" vs ").append(hex(other.osThread));
        }
        if (threadId != other.threadId) {
            if (out.length() > 0) {
                out.append(", ");
            }
            out.append("OSThread::_thread_id ").append(hex(threadId)).append(" vs ").append(hex(other.threadId));
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "JavaThread::_osthread=" + hex(osThread) + " OSThread::_thread_id=" + hex(threadId);
    }

    static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }
}
