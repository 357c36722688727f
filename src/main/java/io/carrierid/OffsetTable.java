package io.carrierid;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The offset table ({@code io/carrierid/offsets.txt}, format in its header):
 * expected offsets per JDK feature release and architecture. The system property
 * {@code carrierid.offsets} names a file to use instead (for testing and for
 * trying a row on a new build).
 */
final class OffsetTable {
    static final String RESOURCE = "offsets.txt";
    static final String OVERRIDE_PROPERTY = "carrierid.offsets";

    /**
     * One row: applies on {@code arch} ({@link Platform#archName()}: x86_64, aarch64) to feature
     * releases {@code from..to} and, when {@code build} is not empty, only to versions whose
     * {@code Runtime.version()} string starts with it. {@code measured} is the row's note.
     */
    record Row(int from, int to, String build, String arch, Offsets offsets, String measured) {
        boolean covers(String arch, int feature, String version) {
            return this.arch.equals(arch) && from <= feature && feature <= to && version.startsWith(build);
        }

        String jdk() {
            return (from == to ? Integer.toString(from) : from + "-" + to) + (build.isEmpty() ? "" : "@" + build);
        }
    }

    private final List<Row> rows;
    private final String source;

    private OffsetTable(List<Row> rows, String source) {
        this.rows = List.copyOf(rows);
        this.source = source;
    }

    /** The bundled table, or the file named by {@code carrierid.offsets}. */
    static OffsetTable load() {
        String override = Property.get(OVERRIDE_PROPERTY, null);
        try {
            if (override != null) {
                try (InputStream in = Files.newInputStream(Paths.get(override))) {
                    return parse(in, OVERRIDE_PROPERTY + "=" + override);
                }
            }
            try (InputStream in = Bundled.open(RESOURCE)) {
                if (in == null) {
                    throw new IOException("resource " + RESOURCE + " missing");
                }
                return parse(in, "bundled " + RESOURCE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the offset table: " + e.getMessage(), e);
        }
    }

    static OffsetTable parse(InputStream in, String source) throws IOException {
        List<Row> rows = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        int number = 0;
        for (String line; (line = reader.readLine()) != null; ) {
            number++;
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            rows.add(parseRow(text, source + " line " + number));
        }
        return new OffsetTable(rows, source);
    }

    private static Row parseRow(String text, String where) throws IOException {
        String[] cells = cells(text, 6);
        if (cells.length < 5) {
            throw new IOException(where + ": expected 'jdk arch osthread thread_id monitor_owner_id [measured]', got '"
                    + text + "'");
        }
        try {
            String[] key = cells[0].split("@", 2);
            String[] range = key[0].split("-", 2);
            int from = Integer.parseInt(range[0]);
            int to = range.length == 2 ? Integer.parseInt(range[1]) : from;
            String build = key.length == 2 ? key[1] : "";
            if (to < from || (!build.isEmpty() && !build.startsWith(Integer.toString(from)))) {
                throw new IllegalArgumentException("bad jdk key " + cells[0]);
            }
            String arch = cells[1];
            if (!arch.equals("x86_64") && !arch.equals("aarch64")) {
                throw new IllegalArgumentException("unknown arch " + arch + " (x86_64, aarch64)");
            }
            Offsets offsets = new Offsets(parseOffset(cells[2]), parseOffset(cells[3]), parseOffset(cells[4]));
            return new Row(from, to, build, arch, offsets, cells.length == 6 ? cells[5] : "");
        } catch (IllegalArgumentException e) {
            throw new IOException(where + ": " + e.getMessage() + " in '" + text + "'", e);
        }
    }

    /** Splits on runs of spaces and tabs into at most {@code limit} cells (no regex: this runs at startup). */
    static String[] cells(String text, int limit) {
        List<String> cells = new ArrayList<>();
        int i = 0;
        while (i < text.length() && cells.size() < limit - 1) {
            int start = i;
            while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            cells.add(text.substring(start, i));
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
        }
        if (i < text.length()) {
            cells.add(text.substring(i).strip());
        }
        return cells.toArray(new String[0]);
    }

    private static long parseOffset(String cell) {
        if (cell.equals("-")) {
            return Offsets.ABSENT;
        }
        return cell.startsWith("0x") ? Long.parseLong(cell.substring(2), 16) : Long.parseLong(cell);
    }

    /** The first row that covers this JVM's version on {@code arch}. */
    Optional<Row> rowFor(String arch, Runtime.Version version) {
        return rowFor(arch, version.feature(), JvmVersion.text());
    }

    /** The first row that covers this architecture, feature release and version string. */
    Optional<Row> rowFor(String arch, int feature, String version) {
        for (Row row : rows) {
            if (row.covers(arch, feature, version)) {
                return Optional.of(row);
            }
        }
        return Optional.empty();
    }

    String source() {
        return source;
    }
}
