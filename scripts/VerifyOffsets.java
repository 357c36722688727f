import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * scripts/verify-offsets, the program: runs carrierid's own dumper
 * ({@code java -jar carrierid.jar --dump}) on each JVM, prints one row per JVM,
 * and exits 1 if any table row disagrees with that JVM's vmStructs or the fast
 * path failed to verify. Run through the wrapper script, which builds the jar
 * and finds the JVMs.
 *
 * <p>Arguments: {@code --jar PATH --table PATH [--json] [--update] java...}
 */
public final class VerifyOffsets {
    /** One JVM's dump (parsed, and {@code raw} as carrierid wrote it), or why there is none. */
    record Result(String java, Map<String, String> dump, String raw, String failure) {
        String get(String key) {
            return dump.getOrDefault(key, "");
        }

        boolean ok() {
            return failure.isEmpty() && !get("agreement").equals("DIFFER") && get("path").equals("NATIVE")
                    && get("allMatch").equals("true") && get("verified").equals("PASSED")
                    && !get("virtualCheck").equals("FAILED");
        }

        /** The table against vmStructs, in words: "agree", "differ: ...", "no table row"... */
        String agreement() {
            String a = get("agreement");
            return switch (a) {
                case "" -> "-";
                case "DIFFER" -> "differ: " + get("differences") + " (table vs vmStructs)";
                default -> a.toLowerCase(Locale.ROOT).replace('_', ' ');
            };
        }

        String fastPath() {
            if (!failure.isEmpty()) {
                return "no: " + failure;
            }
            if (!get("path").equals("NATIVE")) {
                return "no: " + get("fallbackReason");
            }
            return get("allMatch").equals("true") ? "yes (" + get("threadsChecked") + " threads match /proc)"
                    : "NO: ids differ from /proc";
        }

        String virtualCheck() {
            return switch (get("virtualCheck")) {
                case "PASSED" -> "yes";
                case "NOT_APPLICABLE" -> "n/a";
                case "FAILED" -> "FAILED";
                case "" -> "-";
                default -> "not run";
            };
        }
    }

    public static void main(String[] args) throws Exception {
        Path jar = null;
        Path table = null;
        boolean json = false;
        boolean update = false;
        List<String> javas = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jar" -> jar = Paths.get(args[++i]);
                case "--table" -> table = Paths.get(args[++i]);
                case "--json" -> json = true;
                case "--update" -> update = true;
                default -> javas.add(args[i]);
            }
        }
        if (jar == null || table == null || javas.isEmpty()) {
            System.err.println("usage: VerifyOffsets --jar carrierid.jar --table offsets.txt [--json] [--update] java...");
            System.exit(2);
        }
        List<Result> results = new ArrayList<>();
        for (String java : javas) {
            results.add(dump(java, jar));
        }
        System.out.println(json ? toJson(results) : toText(results));
        if (update) {
            update(table, results);
        }
        long failed = results.stream().filter(r -> !r.ok()).count();
        System.exit(failed == 0 ? 0 : 1);
    }

    static Result dump(String java, Path jar) {
        try {
            Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString(), "--dump")
                    .redirectErrorStream(false).start();
            byte[] out = p.getInputStream().readAllBytes();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(java, Map.of(), "", "timed out");
            }
            String text = new String(out, StandardCharsets.UTF_8).strip();
            String line = text.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse("");
            if (line.isEmpty()) {
                return new Result(java, Map.of(), "", "exit " + p.exitValue() + ", no dump: " + firstLine(err));
            }
            String failure = p.exitValue() == 0 ? "" : "exit " + p.exitValue() + " " + firstLine(err);
            return new Result(java, parse(line), line, failure);
        } catch (IOException | InterruptedException e) {
            return new Result(java, Map.of(), "", e.toString());
        }
    }

    private static String firstLine(String text) {
        return text.lines().findFirst().orElse("");
    }

    /** The dump's members, flattened: nested objects become "table.osthread" etc. */
    static Map<String, String> parse(String json) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("\"(\\w+)\":(?:\"((?:[^\"\\\\]|\\\\.)*)\"|(\\{[^}]*\\})|([^,}]+))").matcher(json);
        while (m.find()) {
            if (m.group(3) != null) {
                parse(m.group(3)).forEach((k, v) -> out.put(m.group(1) + "." + k, v));
                out.put(m.group(1), m.group(3));
            } else {
                out.put(m.group(1), m.group(2) != null ? m.group(2).replace("\\\"", "\"").replace("\\\\", "\\") : m.group(4));
            }
        }
        return out;
    }

    static String toText(List<Result> results) {
        String[] head = {"java", "arch", "version", "vendor", "libc", "row", "table vs vmStructs", "fast path verified",
                "virtual thread check"};
        List<String[]> rows = new ArrayList<>();
        rows.add(head);
        for (Result r : results) {
            rows.add(new String[] {r.java(), r.get("arch").isEmpty() ? "-" : r.get("arch"), r.get("javaVersion"), r.get("vmVendor"), r.get("libc"),
                    r.get("tableRow").isEmpty() ? "-" : r.get("tableRow"),
                    r.agreement(), r.fastPath(), r.virtualCheck()});
        }
        int[] width = new int[head.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder("verify-offsets " + LocalDate.now() + "\n");
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                out.append(i == 0 ? "" : "  ").append(String.format("%-" + width[i] + "s", row[i]));
            }
            out.append('\n');
        }
        long ok = results.stream().filter(Result::ok).count();
        out.append("verify-offsets: ").append(ok).append(" passed, ").append(results.size() - ok).append(" failed");
        return out.toString();
    }

    /** The rows as JSON: what this script concluded, and carrierid's own dump as it wrote it (its JSON writer). */
    static String toJson(List<Result> results) {
        StringBuilder out = new StringBuilder("[");
        for (Result r : results) {
            out.append(out.length() > 1 ? "," : "")
                    .append("{\"java\":").append(quote(r.java())).append(",\"ok\":").append(r.ok())
                    .append(",\"failure\":").append(quote(r.failure()))
                    .append(",\"fastPath\":").append(quote(r.fastPath()))
                    .append(",\"virtualCheck\":").append(quote(r.virtualCheck()))
                    .append(",\"dump\":").append(r.raw().isEmpty() ? "null" : r.raw()).append('}');
        }
        return out.append(']').toString();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Rewrites table rows from vmStructs: replaces rows that differ, adds rows for JVMs that have none. */
    static void update(Path table, List<Result> results) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(table));
        boolean changed = false;
        for (Result r : results) {
            if (!r.get("vmStructsStatus").equals("FOUND") || !r.failure().isEmpty()) {
                continue;
            }
            String note = r.get("javaVersion") + " " + r.get("vmVendor") + "; live vmStructs, verified by scripts/verify-offsets "
                    + LocalDate.now();
            String agreement = r.get("agreement");
            if (agreement.equals("DIFFER")) {
                String key = r.get("tableRow");
                for (int i = 0; i < lines.size(); i++) {
                    String[] cells = lines.get(i).split("\\s+");
                    if (cells.length > 1 && cells[0].equals(key) && cells[1].equals(r.get("arch"))) {
                        lines.set(i, row(key, r, note));
                        changed = true;
                    }
                }
            } else if (agreement.equals("NO_TABLE_ROW")) {
                String version = r.get("javaVersion");
                String key = r.get("feature");
                if (version.contains("-ea")) {
                    key += "@" + version.replaceFirst("^([^+]*\\+\\d+).*$", "$1");
                }
                String line = row(key, r, note);
                if (!lines.contains(line)) {
                    lines.add(line);
                    changed = true;
                }
            }
        }
        if (changed) {
            Files.write(table, lines);
            System.out.println("updated " + table + ": review the diff, then rebuild (mvn package) and run again");
        } else {
            System.out.println("no change to " + table);
        }
    }

    private static String row(String key, Result r, String note) {
        return String.format("%-11s %-8s %-9s %-10s %-17s %s", key, r.get("arch"), r.get("vmStructs.osthread"), r.get("vmStructs.thread_id"),
                r.get("vmStructs.monitor_owner_id"), note);
    }
}
