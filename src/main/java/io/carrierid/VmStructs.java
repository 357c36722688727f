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

    private VmStructs() {}

    /** Reads the offsets; requires the native library. */
    static Reading read() {
        String setting = Property.get(PROPERTY, "use");
        if (setting.equals("ignore")) {
            return new Reading(Status.IGNORED, null, "ignored (-D" + PROPERTY + "=ignore)");
        }
        // _lock_id: _monitor_owner_id's name in JDK 24.
        long[] found = Native.vmStructsFields(new String[] {"JavaThread", "OSThread", "JavaThread", "JavaThread"},
                new String[] {"_osthread", "_thread_id", "_monitor_owner_id", "_lock_id"});
        long osThread = found[0];
        long threadId = found[1];
        if (osThread == Native.VMSTRUCTS_NO_TABLE || threadId == Native.VMSTRUCTS_NO_TABLE) {
            return new Reading(Status.NO_TABLE, null, "no gHotSpotVMStructs in this process");
        }
        if (osThread == Native.VMSTRUCTS_NO_FIELD || threadId == Native.VMSTRUCTS_NO_FIELD) {
            String missing = osThread == Native.VMSTRUCTS_NO_FIELD ? "JavaThread::_osthread" : "OSThread::_thread_id";
            return new Reading(Status.MISSING_FIELD, null, "gHotSpotVMStructs has no " + missing);
        }
        long monitorOwnerId = found[2] != Native.VMSTRUCTS_NO_FIELD ? found[2] : found[3];
        Offsets offsets = new Offsets(osThread, threadId, monitorOwnerId < 0 ? Offsets.ABSENT : monitorOwnerId);
        String note = setting.equals("use") ? "" : " (unknown -D" + PROPERTY + "=" + setting + " treated as 'use')";
        return new Reading(Status.FOUND, offsets, offsets + note);
    }
}
