package io.carrierid;

import java.util.Optional;

/**
 * Which offsets the fast path will be verified with, and why: the table row
 * and vmStructs must agree; if they disagree vmStructs wins and a warning says
 * so; either alone is used (and reported) when the other is missing.
 */
record OffsetChoice(Offsets offsets, Diagnostics.OffsetSource source, String detail, String warning) {

    static OffsetChoice of(Optional<OffsetTable.Row> row, VmStructs.Reading vm) {
        boolean haveVm = vm.status() == VmStructs.Status.FOUND;
        if (row.isPresent() && haveVm) {
            Offsets table = row.get().offsets();
            String differences = table.differences(vm.offsets());
            if (differences.isEmpty()) {
                return new OffsetChoice(vm.offsets(), Diagnostics.OffsetSource.TABLE_AND_VMSTRUCTS_AGREE,
                        "table row " + row.get().jdk() + " and vmStructs agree: " + vm.offsets(), "");
            }
            String warning = "offset table row " + row.get().jdk() + " disagrees with this JVM's vmStructs ("
                    + "table vs vmStructs: " + differences + "); using vmStructs";
            return new OffsetChoice(vm.offsets(), Diagnostics.OffsetSource.VMSTRUCTS_TABLE_DISAGREES,
                    "vmStructs: " + vm.offsets() + "; " + warning, warning);
        }
        if (haveVm) {
            return new OffsetChoice(vm.offsets(), Diagnostics.OffsetSource.VMSTRUCTS_NO_TABLE_ROW,
                    "vmStructs only (the table has no row for this JVM): " + vm.offsets(), "");
        }
        if (row.isPresent()) {
            return new OffsetChoice(row.get().offsets(), Diagnostics.OffsetSource.TABLE_ONLY,
                    "table row " + row.get().jdk() + " only (vmStructs: " + vm.detail() + "): "
                            + row.get().offsets(), "");
        }
        return new OffsetChoice(null, Diagnostics.OffsetSource.NONE,
                "no table row for this JVM and vmStructs: " + vm.detail(), "");
    }
}
