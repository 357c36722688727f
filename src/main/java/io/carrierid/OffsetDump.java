package io.carrierid;

/**
 * What scripts/verify-offsets needs from one JVM ({@code --dump}), as decided by
 * {@link Setup} on this JVM (nothing recomputed): the architecture, the table row
 * it used, what vmStructs said, how they compared, and how verification went. One
 * JSON object with a structured field for each, so that rewording a message in
 * the diagnostics changes nothing a script reads.
 */
final class OffsetDump {
    private OffsetDump() {}

    /** How the table row and vmStructs compared, for scripts. */
    enum Agreement { AGREE, DIFFER, NO_TABLE_ROW, NO_VMSTRUCTS, NEITHER, NOT_CONSULTED }

    static String json(Setup.Outcome outcome, boolean allMatch, int threadsChecked) {
        Setup.Facts facts = outcome.facts();
        Diagnostics diagnostics = outcome.diagnostics();
        OffsetTable.Row row = facts.row();
        VmStructs.Reading vm = facts.vmStructs();
        Verification.Result verified = facts.verified();
        Verification.Virtual virtual = VirtualPath.checked();
        return new Json.Object()
                .add("feature", Runtime.version().feature())
                .add("arch", facts.arch())
                .add("javaVersion", Runtime.version().toString())
                .add("vmVendor", Property.get("java.vm.vendor", "?"))
                .add("libc", diagnostics.libc())
                .add("tableRow", row == null ? "" : row.jdk())
                .addRaw("table", row == null ? "null" : offsets(row.offsets()))
                .add("vmStructsStatus", vm == null ? "NOT_READ" : vm.status().name())
                .addRaw("vmStructs", vm == null || vm.offsets() == null ? "null" : offsets(vm.offsets()))
                .add("agreement", agreement(facts).name())
                .add("differences", row != null && vm != null && vm.offsets() != null
                        ? row.offsets().differences(vm.offsets()) : "")
                .add("path", diagnostics.path().name())
                .add("verified", verified == null ? "NOT_RUN" : verified.passed() ? "PASSED" : "FAILED")
                .add("verifiedThreads", verified == null ? 0 : verified.threads())
                .add("virtualCheck", virtual != null ? virtual.status().name()
                        : Threads.haveVirtualThreads() ? "NOT_RUN" : "NOT_APPLICABLE")
                .add("verification", diagnostics.verification())
                .add("fallbackReason", diagnostics.fallbackReason())
                .add("threadsChecked", threadsChecked)
                .add("allMatch", allMatch)
                .addRaw("setupMicros", timeline(facts.timeline()))
                .toString();
    }

    /** Initialisation's phases in order, as [{"phase":..,"micros":..}]. */
    static java.util.List<String> timeline(Timeline timeline) {
        java.util.List<String> phases = new java.util.ArrayList<>();
        for (Timeline.Phase phase : timeline.phases()) {
            phases.add(new Json.Object().add("phase", phase.name()).add("micros", phase.micros()).toString());
        }
        return phases;
    }

    static Agreement agreement(Setup.Facts facts) {
        if (facts.choice() == null) {
            return Agreement.NOT_CONSULTED;
        }
        switch (facts.choice().source()) {
            case TABLE_AND_VMSTRUCTS_AGREE: return Agreement.AGREE;
            case VMSTRUCTS_TABLE_DISAGREES: return Agreement.DIFFER;
            case VMSTRUCTS_NO_TABLE_ROW: return Agreement.NO_TABLE_ROW;
            case TABLE_ONLY: return Agreement.NO_VMSTRUCTS;
            default: return Agreement.NEITHER;
        }
    }

    private static String offsets(Offsets o) {
        return new Json.Object().add("osthread", Offsets.hex(o.osThread())).add("thread_id", Offsets.hex(o.threadId()))
                .add("monitor_owner_id", Offsets.cell(o.monitorOwnerId())).toString();
    }
}
