package io.carrierid;

/**
 * HotSpot's own account of its field offsets, read from the exported
 * {@code gHotSpotVMStructs} table by vm_structs.c (fields are looked up in the
 * named type and its supertypes).
 *
 * <p>{@code -Dcarrierid.vmstructs=ignore} makes carrierid behave as if the
 * table were absent (for tests of the table-only path).
 */
final class VmStructs {
    static final String PROPERTY = "carrierid.vmstructs";

    /** What the table said: {@code offsets} is null unless {@code status} is {@link Status#FOUND}. */
    record Reading(Status status, Offsets offsets, String detail) {}

    enum Status { FOUND, IGNORED, NO_TABLE, MISSING_FIELD }

    private static final long NO_FIELD = -1;
    private static final long NO_TABLE = -2;

    private VmStructs() {}

    /** Reads the offsets; requires the native library. */
    static Reading read() {
        String setting = System.getProperty(PROPERTY, "use");
        if (setting.equals("ignore")) {
            return new Reading(Status.IGNORED, null, "ignored (-D" + PROPERTY + "=ignore)");
        }
        long osThread = Native.vmStructsField("JavaThread", "_osthread");
        long threadId = Native.vmStructsField("OSThread", "_thread_id");
        if (osThread == NO_TABLE || threadId == NO_TABLE) {
            return new Reading(Status.NO_TABLE, null, "no gHotSpotVMStructs in this process");
        }
        if (osThread == NO_FIELD || threadId == NO_FIELD) {
            String missing = osThread == NO_FIELD ? "JavaThread::_osthread" : "OSThread::_thread_id";
            return new Reading(Status.MISSING_FIELD, null, "gHotSpotVMStructs has no " + missing);
        }
        long monitorOwnerId = Native.vmStructsField("JavaThread", "_monitor_owner_id");
        if (monitorOwnerId == NO_FIELD) {
            monitorOwnerId = Native.vmStructsField("JavaThread", "_lock_id"); // its name in JDK 24
        }
        Offsets offsets = new Offsets(osThread, threadId, monitorOwnerId < 0 ? Offsets.ABSENT : monitorOwnerId);
        String note = setting.equals("use") ? "" : " (unknown -D" + PROPERTY + "=" + setting + " treated as 'use')";
        return new Reading(Status.FOUND, offsets, offsets + note);
    }
}
