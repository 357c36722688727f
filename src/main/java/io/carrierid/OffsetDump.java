package io.carrierid;

import java.util.Optional;

/**
 * What scripts/verify-offsets needs from one JVM ({@code --dump}): the table
 * row carrierid would use here, what this JVM's vmStructs says, whether they
 * agree, and how verification went. One JSON object.
 */
final class OffsetDump {
    private OffsetDump() {}

    static String json(Diagnostics diagnostics, boolean allMatch, int threadsChecked) {
        int feature = Runtime.version().feature();
        Optional<OffsetTable.Row> row = OffsetTable.load().rowFor(Runtime.version());
        VmStructs.Reading vm = Active.NATIVE_LOADED
                ? VmStructs.read()
                : new VmStructs.Reading(VmStructs.Status.NO_TABLE, null, "native library not loaded");
        String agreement;
        switch (OffsetChoice.of(row, vm).source()) {
            case TABLE_AND_VMSTRUCTS_AGREE:
                agreement = "agree";
                break;
            case VMSTRUCTS_TABLE_DISAGREES:
                agreement = "differ: " + row.get().offsets().differences(vm.offsets()) + " (table vs vmStructs)";
                break;
            case TABLE_ONLY:
                agreement = "no vmStructs: " + vm.detail();
                break;
            default: // no row, with or without vmStructs
                agreement = "no table row";
        }
        return new Json.Object()
                .add("feature", feature)
                .add("javaVersion", Runtime.version().toString())
                .add("vmVendor", System.getProperty("java.vm.vendor", "?"))
                .add("libc", diagnostics.libc())
                .add("tableRow", row.map(OffsetTable.Row::jdk).orElse(""))
                .addRaw("table", row.map(r -> offsets(r.offsets())).orElse("null"))
                .add("vmStructsStatus", vm.status().name())
                .addRaw("vmStructs", vm.offsets() == null ? "null" : offsets(vm.offsets()))
                .add("agreement", agreement)
                .add("path", diagnostics.path().name())
                .add("verification", diagnostics.verification())
                .add("fallbackReason", diagnostics.fallbackReason())
                .add("threadsChecked", threadsChecked)
                .add("allMatch", allMatch)
                .toString();
    }

    private static String offsets(Offsets o) {
        return new Json.Object().add("osthread", Offsets.hex(o.osThread())).add("thread_id", Offsets.hex(o.threadId()))
                .add("monitor_owner_id", Offsets.cell(o.monitorOwnerId())).toString();
    }
}
