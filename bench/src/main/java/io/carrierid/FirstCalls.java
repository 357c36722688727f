package io.carrierid;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * FirstCall's JSON lines (one per fresh JVM), grouped by JDK feature release and
 * mode: medians, the targets on them, and the table of where carrierid's
 * initialisation spends its time (its own {@code setupMicros} timeline).
 */
final class FirstCalls {
    /** One JVM's line: total milliseconds, and setup's phases in order (carrierid modes only). */
    record Sample(double millis, Map<String, Double> phaseMillis) {}

    /** By "17"/"25", then by mode. */
    private final Map<String, Map<String, List<Sample>>> samples = new LinkedHashMap<>();

    private static final Pattern MODE = Pattern.compile("\"mode\":\"([^\"]*)\"");
    private static final Pattern MILLIS = Pattern.compile("\"firstCallMillis\":([0-9.]+)");
    private static final Pattern VERSION = Pattern.compile("\"javaVersion\":\"([0-9]+)");
    private static final Pattern PHASE = Pattern.compile("\\{\"phase\":\"([^\"]*)\",\"micros\":([0-9]+)\\}");

    void read(List<String> lines) {
        for (String line : lines) {
            Matcher millis = MILLIS.matcher(line);
            Matcher version = VERSION.matcher(line);
            if (line.startsWith("#") || !millis.find() || !version.find()) {
                continue;
            }
            Matcher mode = MODE.matcher(line);
            Map<String, Double> phases = new LinkedHashMap<>();
            Matcher phase = PHASE.matcher(line);
            while (phase.find()) {
                phases.put(phase.group(1), Long.parseLong(phase.group(2)) / 1000.0);
            }
            samples.computeIfAbsent(version.group(1), k -> new LinkedHashMap<>())
                    .computeIfAbsent(mode.find() ? mode.group(1) : "platform", k -> new ArrayList<>())
                    .add(new Sample(Double.parseDouble(millis.group(1)), phases));
        }
    }

    private List<Sample> of(String jdk, String mode) {
        return samples.getOrDefault(jdk, Map.of()).getOrDefault(mode, List.of());
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    double medianMillis(String jdk, String mode) {
        List<Double> ms = new ArrayList<>();
        for (Sample s : of(jdk, mode)) {
            ms.add(s.millis());
        }
        return median(ms);
    }

    List<String[]> targets() {
        List<String[]> t = new ArrayList<>();
        for (String jdk : samples.keySet()) {
            target(t, "JDK " + jdk + ": first `osThreadId()` in a fresh JVM ≤ 0.05× JNA's first call",
                    medianMillis(jdk, "platform"), medianMillis(jdk, "jna"), 0.05);
            target(t, "JDK " + jdk + ": first call from a virtual thread ≤ 1.1× from a platform thread",
                    medianMillis(jdk, "virtual"), medianMillis(jdk, "platform-after-virtual"), 1.1);
        }
        return t;
    }

    /** A row "ours / theirs ≤ limit", where both were measured. */
    private static void target(List<String[]> t, String what, double ours, double theirs, double limit) {
        if (Double.isNaN(ours) || Double.isNaN(theirs)) {
            return;
        }
        double r = ours / theirs;
        t.add(new String[] {what, BenchReport.fmt(r) + "× (" + BenchReport.fmt(ours) + " ms vs " + BenchReport.fmt(theirs)
                + " ms, medians)", r <= limit ? "met" : "NOT met"});
    }

    /** The first-call section: medians by mode, and setup's phases now against {@code before}. */
    String markdown(FirstCalls before) {
        if (samples.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("\n## First call in a fresh JVM\n\n");
        md.append("`FirstCall MODE`, one JVM per line of the raw files (`raw/firstcall-jdk*.txt`): `platform`: ")
                .append("`Carrier.osThreadId()` with nothing before it; `platform-after-virtual` and `virtual`: the same ")
                .append("after a bare virtual thread has run, from the main thread or from inside a second virtual thread ")
                .append("(timed there); `jna`: JNA's `Native.load` and first `syscall(SYS_gettid)`; `openhft`: ")
                .append("`Affinity.getThreadId()`.\n\n| JDK | mode | median ms | min-max | JVMs |\n|---|---|---:|---|---:|\n");
        for (Map.Entry<String, Map<String, List<Sample>>> jdk : samples.entrySet()) {
            for (Map.Entry<String, List<Sample>> mode : jdk.getValue().entrySet()) {
                List<Double> ms = new ArrayList<>();
                mode.getValue().forEach(s -> ms.add(s.millis()));
                ms.sort(null);
                md.append("| ").append(jdk.getKey()).append(" | ").append(mode.getKey()).append(" | ")
                        .append(BenchReport.fmt(median(ms))).append(" | ").append(BenchReport.fmt(ms.get(0))).append("-")
                        .append(BenchReport.fmt(ms.get(ms.size() - 1))).append(" | ").append(ms.size()).append(" |\n");
            }
        }
        md.append("\n### Where the first call's time goes (mode `platform`, medians, ms)\n\n")
                .append("carrierid's own timeline (`--dump` prints it as `setupMicros`): each phase from the end of the ")
                .append("previous one, on `carrierid-init`; the first phase is from the caller's request to that ")
                .append("thread's start. \"before\": ").append(before.samples.isEmpty() ? "none recorded"
                        : "`firstcall-before.txt` beside this file (the code as it was before issue 11's work, "
                        + "instrumented with the same timeline; " + before.count("platform") + " JVMs per JDK)")
                .append(". Before, the first call waited for every phase. ").append(WHO_WAITS).append("\n\n")
                .append(phaseTables(before, "before", "now"));
        return md.toString();
    }

    /** Which phases a first {@code osThreadId()} waits for, since issue 23 (for both reports). */
    static final String WHO_WAITS = "Since issue 23, `osThreadId()`'s first call waits for none of them: it answers from "
            + "`/proc/thread-self` (the same tid, checked to be this PID namespace's), then starts `carrierid-init`; "
            + "its own time is loading carrierid's classes on the caller's thread and two small `/proc` reads. "
            + "(Between issue 11 and issue 23 it waited for the first three phases, until the library was loaded.) "
            + "So the first call's total is below the phases' sum.";

    /** Per JDK, setup's phases (medians, ms) of {@code before} and of these samples, with sums and totals. */
    String phaseTables(FirstCalls before, String beforeLabel, String nowLabel) {
        StringBuilder md = new StringBuilder();
        for (String jdk : samples.keySet()) {
            md.append("| JDK ").append(jdk).append(" phase | ").append(beforeLabel).append(" | ").append(nowLabel)
                    .append(" |\n|---|---:|---:|\n");
            List<String> names = new ArrayList<>(before.phaseNames(jdk));
            for (String name : phaseNames(jdk)) {
                if (!names.contains(name)) {
                    names.add(name);
                }
            }
            double sumBefore = 0;
            double sumNow = 0;
            for (String name : names) {
                double b = before.medianPhase(jdk, name);
                double n = medianPhase(jdk, name);
                sumBefore += Double.isNaN(b) ? 0 : b;
                sumNow += Double.isNaN(n) ? 0 : n;
                md.append("| ").append(name).append(" | ").append(BenchReport.fmt(b)).append(" | ")
                        .append(BenchReport.fmt(n)).append(" |\n");
            }
            md.append("| **sum of the phases** | ").append(BenchReport.fmt(sumBefore)).append(" | ")
                    .append(BenchReport.fmt(sumNow)).append(" |\n");
            md.append("| **first call, total** | ").append(BenchReport.fmt(before.medianMillis(jdk, "platform")))
                    .append(" | ").append(BenchReport.fmt(medianMillis(jdk, "platform"))).append(" |\n\n");
        }
        return md.toString();
    }

    private int count(String mode) {
        int most = 0;
        for (Map<String, List<Sample>> byMode : samples.values()) {
            most = Math.max(most, byMode.getOrDefault(mode, List.of()).size());
        }
        return most;
    }

    private List<String> phaseNames(String jdk) {
        List<String> names = new ArrayList<>();
        for (Sample s : of(jdk, "platform")) {
            for (String name : s.phaseMillis().keySet()) {
                if (!names.contains(name)) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    private double medianPhase(String jdk, String name) {
        List<Double> values = new ArrayList<>();
        for (Sample s : of(jdk, "platform")) {
            Double v = s.phaseMillis().get(name);
            if (v != null) {
                values.add(v);
            }
        }
        return median(values);
    }
}
