package io.carrierid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OffsetTableTest {

    private static OffsetTable parse(String text) throws IOException {
        return OffsetTable.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "test");
    }

    /** The table row for the running JDK on this architecture must be what this JVM's vmStructs says. */
    @Test
    void bundledRowForThisJdkMatchesVmStructs() {
        Diagnostics d = Carrier.diagnostics(); // decides first: Active is initialised only by the decision
        assertTrue(Active.NATIVE_LOADED, d::toString);
        VmStructs.Reading vm = VmStructs.read();
        assertEquals(VmStructs.Status.FOUND, vm.status(), vm.detail());
        assertEquals(vm.offsets(), OffsetTable.load().rowFor(Platform.current().archName(), Runtime.version())
                .orElseThrow().offsets());
    }

    @Test
    void rangesCommentsAndDecimalOffsets() throws IOException {
        OffsetTable table = parse("# comment\n\n22-24 x86_64 0x10  12 -  a note with spaces\n25 x86_64 0x20 0x8 0x30\n");
        OffsetTable.Row row = table.rowFor("x86_64", 23, "23.0.1").orElseThrow();
        assertEquals(new Offsets(0x10, 12, Offsets.ABSENT), row.offsets());
        assertEquals("a note with spaces", row.measured());
        assertEquals("22-24", row.jdk());
        assertEquals(new Offsets(0x20, 0x8, 0x30), table.rowFor("x86_64", 25, "25").orElseThrow().offsets());
        assertEquals(Optional.empty(), table.rowFor("x86_64", 21, "21"));
    }

    /** Each architecture has its rows: a row for one never serves the other. */
    @Test
    void rowsAreKeyedOnTheArchitecture() throws IOException {
        OffsetTable table = parse("25 aarch64 0x3f0 0xc 0x510\n25 x86_64 0x3f8 0xc 0x520\n");
        assertEquals(0x3f0, table.rowFor("aarch64", 25, "25.0.5").orElseThrow().offsets().osThread());
        assertEquals(0x3f8, table.rowFor("x86_64", 25, "25.0.5").orElseThrow().offsets().osThread());
        assertEquals(Optional.empty(), table.rowFor("riscv64", 25, "25.0.5"));
        assertEquals(Optional.empty(), parse("25 aarch64 0x3f0 0xc 0x510\n").rowFor("x86_64", 25, "25"));
        IOException unknown = assertThrows(IOException.class, () -> parse("25 arm 0x3f0 0xc 0x510\n"));
        assertTrue(unknown.getMessage().contains("unknown arch arm"), unknown.getMessage());
    }

    /** Two builds of one release that differ: the more specific row, listed first, wins. */
    @Test
    void rowsCanKeyOnTheBuild() throws IOException {
        OffsetTable table = parse("28@28-ea+18 x86_64 0x3d8 0xc 0x4f0 ea build\n28 x86_64 0x3e0 0xc 0x4f8\n");
        assertEquals(0x3d8, table.rowFor("x86_64", 28, "28-ea+18-1-Debian").orElseThrow().offsets().osThread());
        assertEquals("28@28-ea+18", table.rowFor("x86_64", 28, "28-ea+18-1-Debian").orElseThrow().jdk());
        assertEquals(0x3e0, table.rowFor("x86_64", 28, "28.0.1+7").orElseThrow().offsets().osThread());
        assertThrows(IOException.class, () -> parse("28@27.0.1 x86_64 0x10 0x10 -\n"));
    }

    @Test
    void malformedRowsAreClearErrors() {
        IOException shortRow = assertThrows(IOException.class, () -> parse("17 x86_64 0x230 0xd0\n"));
        assertTrue(shortRow.getMessage().contains("line 1"), shortRow.getMessage());
        IOException badNumber = assertThrows(IOException.class, () -> parse("# x\n17 x86_64 0xZZ 0xd0 -\n"));
        assertTrue(badNumber.getMessage().contains("line 2"), badNumber.getMessage());
        assertThrows(IOException.class, () -> parse("17 x86_64 -5 0xd0 -\n"));
    }

    @Test
    void choiceReportsAgreementDisagreementAndMissingSources() {
        OffsetTable.Row row = new OffsetTable.Row(17, 17, "", "x86_64", new Offsets(0x230, 0xd0, Offsets.ABSENT), "");
        VmStructs.Reading same = new VmStructs.Reading(VmStructs.Status.FOUND, new Offsets(0x230, 0xd0, Offsets.ABSENT), "");
        VmStructs.Reading other = new VmStructs.Reading(VmStructs.Status.FOUND, new Offsets(0x238, 0xd0, Offsets.ABSENT), "");
        VmStructs.Reading none = new VmStructs.Reading(VmStructs.Status.NO_TABLE, null, "none");

        assertEquals(Diagnostics.OffsetSource.TABLE_AND_VMSTRUCTS_AGREE, OffsetChoice.of(Optional.of(row), same).source());
        OffsetChoice disagree = OffsetChoice.of(Optional.of(row), other);
        assertEquals(Diagnostics.OffsetSource.VMSTRUCTS_TABLE_DISAGREES, disagree.source());
        assertEquals(other.offsets(), disagree.offsets(), "vmStructs wins");
        assertTrue(disagree.warning().contains("JavaThread::_osthread 0x230 vs 0x238"), disagree.warning());
        assertEquals(Diagnostics.OffsetSource.VMSTRUCTS_NO_TABLE_ROW, OffsetChoice.of(Optional.empty(), same).source());
        assertEquals(Diagnostics.OffsetSource.TABLE_ONLY, OffsetChoice.of(Optional.of(row), none).source());
        assertEquals(row.offsets(), OffsetChoice.of(Optional.of(row), none).offsets());
        assertEquals(Diagnostics.OffsetSource.NONE, OffsetChoice.of(Optional.empty(), none).source());
    }
}
