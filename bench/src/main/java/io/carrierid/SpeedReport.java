package io.carrierid;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue 23's targets, before and after, from one sitting of {@code scripts/speed}: each JMH
 * configuration ran with the jar of the "before" commit and with this one, one after the other.
 * Writes {@code speed.md}.
 *
 * <p>usage: SpeedReport OUT_DIR CPU DATE BEFORE_COMMIT AFTER_COMMIT RAW_DIR
 */
public final class SpeedReport {
    private SpeedReport() {}

    /** A configuration's label, its raw files' stem, and whether java.lang is open to carrierid there. */
    record Config(String label, String stem, boolean open) {}

    static final List<Config> CONFIGS = List.of(
            new Config("JDK 17, platform threads", "jdk17-platform", false),
            new Config("JDK 25, platform threads", "jdk25-platform", false),
            new Config("JDK 25, virtual threads", "jdk25-virtual", false),
            new Config("JDK 17, platform threads, java.lang open", "jdk17-platform-open", true),
            new Config("JDK 25, platform threads, java.lang open", "jdk25-platform-open", true),
            new Config("JDK 25, virtual threads, java.lang open", "jdk25-virtual-open", true),
            new Config("JDK 25, platform threads, java.lang open + jdk.internal.misc exported", "jdk25-platform-open-exports", true),
            new Config("JDK 25, virtual threads, java.lang open + jdk.internal.misc exported", "jdk25-virtual-open-exports", true));

    public static void main(String[] args) throws IOException {
        Path out = Paths.get(args[0]);
        String cpu = args[1];
        String date = args[2];
        String before = args[3];
        String after = args[4];
        Path raw = Paths.get(args[5]);
        StringBuilder md = new StringBuilder();
        md.append("# Speed: issue 23's targets, before and after\n\n");
        md.append("Measured ").append(date).append(" on ").append(cpu).append(" (2 cores, shared and noisy: ratios within one")
                .append(" configuration, not ns across them). Made by `scripts/speed`: each configuration ran the JMH")
                .append(" benchmarks (`IdBenchmark`, 3 warm-up and 5 measured iterations of 1 s, 1 fork) with the jar of ")
                .append("`").append(before).append("` (before) and then of `").append(after).append("` (after), in one sitting.")
                .append(" Raw JMH results in [raw/speed](raw/speed).\n\n");
        List<Measured> measured = new ArrayList<>();
        for (Config config : CONFIGS) {
            Path b = raw.resolve(config.stem() + "-before.json");
            Path a = raw.resolve(config.stem() + "-after.json");
            if (Files.exists(b) && Files.exists(a)) {
                measured.add(new Measured(config, BenchReport.parse(config.label(), Files.readString(b)),
                        BenchReport.parse(config.label(), Files.readString(a))));
            }
        }
        md.append("| configuration | target | before | after | |\n|---|---|---:|---:|---|\n");
        for (Measured m : measured) {
            for (Target target : targets(m.config())) {
                double rb = target.ratio(m.before());
                double ra = target.ratio(m.after());
                md.append("| ").append(m.config().label()).append(" | ").append(target.text()).append(" | ")
                        .append(cell(rb)).append(" | ").append(cell(ra)).append(" | ")
                        .append(Double.isNaN(ra) ? "-" : Double.isNaN(target.limit()) ? "no target: a floor"
                                : ra <= target.limit() ? "met" : "NOT met").append(" |\n");
            }
        }
        md.append("\nRows without a target compare with what the same design costs written plainly with the JDK alone ")
                .append("(`floor_threadLocal_getLong`: a `ThreadLocal<Long>` unboxed; `floor_weakCell_get`: `WeakCellCache`, a leak-free ")
                .append("`ThreadLocal` of a `WeakReference` to a cell whose value every thread of a carrier shares, as CarrierLocal did before its cache by carrier index): the part of ")
                .append("a ratio above 1× there is carrierid's own. On virtual threads without flags, `floor_ffm_carrierKey` is the FFM ")
                .append("critical downcall that `Carrier.index()` and `CarrierLocal.get()` make for their carrier's key: in the ")
                .append("\"before\" column, a C thread-local of a dlopen'ed library, read through glibc's TLS descriptor (a call); in the ")
                .append("\"after\" column, two loads at a fixed offset from the thread pointer, where libcarrierid's own pthread key keeps it (as `osThreadId()`'s ")
                .append("downcall reads HotSpot's slot). Where java.lang is open, `floor_opened_walk` is issue 23's own prototype ")
                .append("in the same JMH loop (a private lookup's `Thread.currentCarrierThread()` and `eetop`, then two reads through ")
                .append("an unbounded `MemorySegment` on 22+, `sun.misc.Unsafe` on 17, at carrierid's verified offsets; no check, no ")
                .append("dispatch) and `floor_opened_eetop` its first half: their rows against `ThreadLocal.get()` say what the ")
                .append("0.5× targets ask of the floor itself in this loop.\n");
        md.append("\nThe figures behind each ratio (ns/op ± error, 99.9%):\n\n");
        md.append("| configuration | benchmark | before | after |\n|---|---|---:|---:|\n");
        for (Measured m : measured) {
            for (String benchmark : m.after().scores().keySet()) {
                md.append("| ").append(m.config().label()).append(" | `").append(benchmark).append("` | ")
                        .append(ns(m.before(), benchmark)).append(" | ").append(ns(m.after(), benchmark)).append(" |\n");
            }
        }
        firstCalls(md, raw);
        Files.writeString(out.resolve("speed.md"), md.toString());
        System.out.println("wrote " + out.resolve("speed.md"));
    }

    /** One configuration's two runs. */
    record Measured(Config config, BenchReport.Run before, BenchReport.Run after) {}

    /** A ratio of two benchmarks and the most it may be. */
    record Target(String text, String numerator, String denominator, double limit) {
        double ratio(BenchReport.Run run) {
            BenchReport.Score n = run.get(numerator);
            BenchReport.Score d = run.get(denominator);
            return n == null || d == null ? Double.NaN : n.ns() / d.ns();
        }
    }

    static List<Target> targets(Config config) {
        List<Target> t = new ArrayList<>();
        boolean virtual = config.label().contains("virtual");
        if (config.open()) {
            t.add(new Target("`osThreadId()` ≤ 0.5× `ThreadLocal.get()`", "carrierid_osThreadId", "floor_threadLocal_get", 0.5));
            t.add(new Target("`javaThreadAddress()` ≤ 0.5× `ThreadLocal.get()`", "carrierid_javaThreadAddress",
                    "floor_threadLocal_get", 0.5));
            t.add(new Target("`CarrierLocal.get()` ≤ 1.0× `ThreadLocal.get()`", "carrierid_carrierLocal_get",
                    "floor_threadLocal_get", 1.0));
            // issue 23's prototype in the same loop (IdBenchmark.Prototype): how low the floor itself is here
            t.add(new Target("issue 23's prototype, the whole walk / `ThreadLocal.get()` (`osThreadId()`'s floor)",
                    "floor_opened_walk", "floor_threadLocal_get", Double.NaN));
            t.add(new Target("`osThreadId()` / issue 23's prototype", "carrierid_osThreadId", "floor_opened_walk", Double.NaN));
            t.add(new Target("the prototype's carrier and eetop / `ThreadLocal.get()` (`javaThreadAddress()`'s floor)",
                    "floor_opened_eetop", "floor_threadLocal_get", Double.NaN));
            t.add(new Target("`javaThreadAddress()` / the prototype's carrier and eetop", "carrierid_javaThreadAddress",
                    "floor_opened_eetop", Double.NaN));
        } else if (virtual) {
            t.add(new Target("`osThreadId()` ≤ 1.1× an FFM critical no-op", "carrierid_osThreadId", "call_ffm_critical_noop", 1.1));
            t.add(new Target("`CarrierLocal.get()` ≤ 1.2× `osThreadId()`", "carrierid_carrierLocal_get", "carrierid_osThreadId", 1.2));
            t.add(new Target("`Carrier.index()` ≤ 1.2× `osThreadId()`", "carrierid_index", "carrierid_osThreadId", 1.2));
            t.add(new Target("`Carrier.index()` / its key's own FFM downcall (its design's floor)", "carrierid_index",
                    "floor_ffm_carrierKey", Double.NaN));
            t.add(new Target("`CarrierLocal.get()` / its key's own FFM downcall (its design's floor)",
                    "carrierid_carrierLocal_get", "floor_ffm_carrierKey", Double.NaN));
        } else {
            t.add(new Target("`osThreadId()` ≤ 1.1× `ThreadLocal.get()`", "carrierid_osThreadId", "floor_threadLocal_get", 1.1));
            t.add(new Target("`CarrierLocal.get()` ≤ 1.2× `ThreadLocal.get()`", "carrierid_carrierLocal_get",
                    "floor_threadLocal_get", 1.2));
            t.add(new Target("`Carrier.index()` ≤ 1.2× `osThreadId()`", "carrierid_index", "carrierid_osThreadId", 1.2));
        }
        if (!virtual) { // what the same design costs written plainly with the JDK (IdBenchmark's floor_ rows)
            t.add(new Target("`osThreadId()` / `ThreadLocal.get()` unboxed (a cached long's floor)", "carrierid_osThreadId",
                    "floor_threadLocal_getLong", Double.NaN));
            t.add(new Target("`Carrier.index()` / `ThreadLocal.get()` unboxed (a cached int's floor)", "carrierid_index",
                    "floor_threadLocal_getLong", Double.NaN));
            t.add(new Target("`CarrierLocal.get()` / a leak-free per-thread cache of a shared cell (its design's floor)",
                    "carrierid_carrierLocal_get", "floor_weakCell_get", Double.NaN));
        }
        return t;
    }

    private static void firstCalls(StringBuilder md, Path raw) throws IOException {
        md.append("\n## First call in a fresh JVM (medians of `FirstCall` in fresh JVMs, ms)\n\n");
        md.append("| JDK | carrierid before | carrierid after | JNA | before / JNA | after / JNA (target ≤ 0.1×) |\n")
                .append("|---|---:|---:|---:|---:|---:|\n");
        StringBuilder phases = new StringBuilder();
        for (String jdk : List.of("17", "25")) {
            Path b = raw.resolve("firstcall-jdk" + jdk + "-before.txt");
            Path a = raw.resolve("firstcall-jdk" + jdk + "-after.txt");
            if (!Files.exists(b) || !Files.exists(a)) {
                continue;
            }
            FirstCalls before = new FirstCalls();
            before.read(Files.readAllLines(b));
            FirstCalls after = new FirstCalls();
            after.read(Files.readAllLines(a));
            double mb = before.medianMillis(jdk, "platform");
            double ma = after.medianMillis(jdk, "platform");
            double jna = after.medianMillis(jdk, "jna");
            md.append("| ").append(jdk).append(" | ").append(BenchReport.fmt(mb)).append(" | ").append(BenchReport.fmt(ma))
                    .append(" | ").append(BenchReport.fmt(jna)).append(" | ").append(cell(mb / jna)).append(" | ")
                    .append(cell(ma / jna)).append(" |\n");
            phases.append(after.phaseTables(before, "before", "after"));
        }
        if (phases.length() > 0) {
            md.append("\n### Where the time goes (carrierid's own timeline of `carrierid-init`, medians, ms)\n\n")
                    .append("Each phase from the end of the previous one; the first from the caller's request to ")
                    .append("`carrierid-init`'s start. ").append(FirstCalls.WHO_WAITS).append("\n\n").append(phases);
        }
    }

    private static String cell(double ratio) {
        return Double.isNaN(ratio) ? "-" : BenchReport.fmt(ratio) + "×";
    }

    private static String ns(BenchReport.Run run, String benchmark) {
        BenchReport.Score s = run.get(benchmark);
        return s == null ? "-" : BenchReport.fmt(s.ns()) + " ± " + BenchReport.fmt(s.error());
    }
}
