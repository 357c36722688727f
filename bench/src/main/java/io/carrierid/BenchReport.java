package io.carrierid;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * Turns scripts/bench's results into docs: a markdown page (ns/op ± error,
 * ratio to the floor and to the cheapest call, per run; the targets) and a
 * log-scale bar chart (PNG, drawn with Java2D so nothing more is needed).
 *
 * <p>usage: BenchReport OUT_DIR CPU_MODEL DATE run-name=jmh.json... [correctness.json] [memory.txt]
 * [pool.json] [firstcall-before.txt] [firstcall-jdkN.txt...]
 */
public final class BenchReport {
    /** One benchmark's result in one run. */
    record Score(double ns, double error) {}

    /** One JMH run: its name (e.g. "JDK 25, virtual threads"), JDK, and scores by short benchmark name. */
    record Run(String name, String jdk, Map<String, Score> scores) {
        Score get(String benchmark) {
            return scores.get(benchmark);
        }

        double cheapestCall() {
            double min = Double.MAX_VALUE;
            for (String b : List.of("call_jni_noop", "call_ffm_critical_noop")) {
                if (scores.containsKey(b)) {
                    min = Math.min(min, scores.get(b).ns());
                }
            }
            return min;
        }
    }

    public static void main(String[] args) throws IOException {
        Path out = Paths.get(args[0]);
        String cpu = args[1];
        String date = args[2];
        List<Run> runs = new ArrayList<>();
        String correctness = "";
        String memory = "";
        List<Pool> pools = List.of();
        FirstCalls firstCalls = new FirstCalls();
        FirstCalls before = new FirstCalls();
        for (int i = 3; i < args.length; i++) {
            String a = args[i];
            if (a.contains("=")) {
                String[] kv = a.split("=", 2);
                runs.add(parse(kv[0], Files.readString(Paths.get(kv[1]))));
            } else if (a.endsWith("correctness.json")) {
                correctness = Files.readString(Paths.get(a)).strip();
            } else if (a.endsWith("memory.txt")) {
                memory = Files.readString(Paths.get(a)).strip();
            } else if (a.endsWith("pool.json")) {
                pools = Pool.parse(Files.readString(Paths.get(a)));
            } else if (a.endsWith("firstcall-before.txt")) {
                before.read(Files.readAllLines(Paths.get(a)));
            } else {
                firstCalls.read(Files.readAllLines(Paths.get(a)));
            }
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve("README.md"), markdown(runs, cpu, date, correctness, memory, pools, firstCalls, before));
        chart(runs, cpu, date, out.resolve("chart.png"));
        if (!pools.isEmpty()) {
            Pool.chart(pools, memory, cpu, date, out.resolve("carrierlocal.png"));
        }
        System.out.println("wrote " + out.resolve("README.md") + " and its charts");
    }

    static Run parse(String name, String json) {
        Map<String, Score> scores = new LinkedHashMap<>();
        String jdk = "";
        for (String chunk : json.split("\"benchmark\"\\s*:\\s*\"")) {
            int end = chunk.indexOf('"');
            if (end < 0 || !chunk.contains("primaryMetric")) {
                continue;
            }
            String benchmark = chunk.substring(0, end).replaceAll(".*\\.", "");
            Matcher v = Pattern.compile("\"jdkVersion\"\\s*:\\s*\"([^\"]*)\"").matcher(chunk);
            if (v.find()) {
                jdk = v.group(1);
            }
            String metric = chunk.substring(chunk.indexOf("primaryMetric"));
            double score = number(metric, "score");
            double error = number(metric, "scoreError");
            scores.put(benchmark, new Score(score, error));
        }
        return new Run(name, jdk, scores);
    }

    private static double number(String text, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*\"?([-0-9.eENaInfity]+)\"?").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    static String markdown(List<Run> runs, String cpu, String date, String correctness, String memory,
                           List<Pool> pools, FirstCalls firstCalls, FirstCalls before) {
        StringBuilder md = new StringBuilder();
        md.append("# carrierid benchmarks\n\n");
        md.append("Measured ").append(date).append(" on ").append(cpu)
                .append(" (2 cores, shared and noisy: compare ratios within a run, not across runs). ")
                .append("JMH 1.37, average time, 3 warm-up and 5 measured iterations of 1 s, 1 fork. ")
                .append("Made by `scripts/bench`; raw JMH results beside this file.\n\n");
        md.append("![ns/op, log scale](chart.png)\n\n");
        md.append("## Targets\n\n| target | measured | |\n|---|---|---|\n");
        for (String[] t : targets(runs, firstCalls)) {
            md.append("| ").append(t[0]).append(" | ").append(t[1]).append(" | ").append(t[2]).append(" |\n");
        }
        md.append(firstCalls.markdown(before));
        if (!correctness.isEmpty()) {
            md.append("\n## Correctness under remounts (JDK 25, virtual threads)\n\n")
                    .append("Each virtual thread yields, then every method answers and is compared with the kernel's ")
                    .append("tid for the carrier at that moment (`/proc/thread-self`). Wrong answers per method:\n\n```\n")
                    .append(correctness).append("\n```\n");
        }
        if (!memory.isEmpty()) {
            md.append("\n## Memory: what CarrierLocal is for (JDK 25, -Xmx2g)\n\n")
                    .append("10^5, then 10^6 virtual threads alive at once, each taking an 8 KiB buffer from ")
                    .append("`ThreadLocal.withInitial` or `CarrierLocal.withInitial` and then blocking until all have ")
                    .append("one (`MemoryDemo`, one JVM per kind). `outOfMemory`: threads that got no buffer; ")
                    .append("`heapInUseMiB`: after a GC while all were alive (virtual threads' own stacks included):\n\n```\n")
                    .append(memory).append("\n```\n");
        }
        if (!pools.isEmpty()) {
            md.append(Pool.markdown(pools));
        }
        md.append("\n## CPU time and the carrier index\n\n| run | `cpuTimeNanos()` | `ThreadMXBean.getCurrentThreadCpuTime()` ")
                .append("| `index()` | `osThreadId()` | `CarrierPool` acquire + release |\n|---|---:|---:|---:|---:|---:|\n");
        for (Run run : runs) {
            md.append("| ").append(run.name()).append(" | ").append(ns(run, "carrierid_cpuTimeNanos")).append(" | ")
                    .append(ns(run, "peer_threadMXBean_currentThreadCpuTime")).append(" | ").append(ns(run, "carrierid_index"))
                    .append(" | ").append(ns(run, "carrierid_osThreadId")).append(" | ")
                    .append(ns(run, "carrierid_carrierPool_acquireRelease")).append(" |\n");
        }
        md.append("\n## Jackson's recycler pools\n\ncarrierid's `CarrierRecyclerPool` against Jackson's and Vert.x's pools, ")
                .append("virtual and platform threads: [jackson-pools.md](jackson-pools.md).\n");
        for (Run run : runs) {
            Score floor = run.get("floor_threadId");
            double cheapest = run.cheapestCall();
            md.append("\n## ").append(run.name()).append(" (").append(run.jdk()).append(")\n\n");
            md.append("| benchmark | ns/op | ± error | × floor | × cheapest call |\n|---|---:|---:|---:|---:|\n");
            for (Map.Entry<String, Score> e : run.scores().entrySet()) {
                Score s = e.getValue();
                md.append("| ").append(e.getKey()).append(" | ").append(fmt(s.ns())).append(" | ").append(fmt(s.error()))
                        .append(" | ").append(floor == null ? "" : fmt(s.ns() / floor.ns()))
                        .append(" | ").append(cheapest == Double.MAX_VALUE ? "" : fmt(s.ns() / cheapest)).append(" |\n");
            }
        }
        md.append("\nNames: `floor_` what the JDK alone costs (`threadId()`, a `ThreadLocal` read, one unboxed, and ")
                .append("`WeakCellCache`: the leak-free per-thread cache of a shared cell that `CarrierLocal`'s design needs); `call_` a native call ")
                .append("that does nothing (JNI; FFM with `Linker.Option.critical`, 22+); `carrierid_` the library ")
                .append("(`_portable` and `_proc` forced with `-Dcarrierid.path`, `_uncached` the fast path without the ")
                .append("platform-thread cache, `_carrierKey` the key lookup inside `CarrierLocal.get()`); `peer_` other ways: ")
                .append("OpenHFT affinity 3.27ea1 `Affinity.getThreadId()`, JNA 5.19.1 `syscall(SYS_gettid)`, FFM ")
                .append("`gettid()`, JNI `syscall(SYS_gettid)`, `readlink(/proc/thread-self)`, and parsing a `Thread.print` ")
                .append("thread dump for the caller's `nid`.\n");
        return md.toString();
    }

    static List<String[]> targets(List<Run> runs, FirstCalls firstCalls) {
        List<String[]> t = new ArrayList<>();
        for (Run run : runs) {
            Score id = run.get("carrierid_osThreadId");
            if (id == null) {
                continue;
            }
            if (run.name().contains("platform")) {
                double r = id.ns() / run.get("floor_threadId").ns();
                t.add(new String[] {run.name() + ": `osThreadId()` ≤ 4× the floor", fmt(r) + "×", r <= 4 ? "met" : "NOT met"});
                Score uncached = run.get("carrierid_osThreadId_uncached");
                Score jni = run.get("call_jni_noop");
                Score ffm = run.get("call_ffm_critical_noop");
                if (ffm == null && uncached != null && jni != null) {
                    double u = uncached.ns() / jni.ns();
                    t.add(new String[] {run.name() + ": the JNI fast path (uncached) ≤ 1.15× the JNI no-op",
                            fmt(u) + "×", u <= 1.15 ? "met" : "NOT met"});
                }
                Score cpu = run.get("carrierid_cpuTimeNanos");
                Score mx = run.get("peer_threadMXBean_currentThreadCpuTime");
                if (cpu != null && mx != null) {
                    double c = cpu.ns() / mx.ns();
                    t.add(new String[] {run.name() + ": `cpuTimeNanos()` ≤ 1× `ThreadMXBean.getCurrentThreadCpuTime()`",
                            fmt(c) + "×", c <= 1.0 ? "met" : "NOT met"});
                }
                Score local = run.get("carrierid_carrierLocal_get");
                Score threadLocal = run.get("floor_threadLocal_get");
                if (local != null && threadLocal != null) {
                    double l = local.ns() / threadLocal.ns();
                    t.add(new String[] {run.name() + ": `CarrierLocal.get()` ≤ 1.2× `ThreadLocal.get()`", fmt(l) + "×",
                            l <= 1.2 ? "met" : "NOT met"});
                }
            } else {
                Score ffm = run.get("call_ffm_critical_noop");
                if (ffm != null) {
                    double r = id.ns() / ffm.ns();
                    t.add(new String[] {run.name() + ": `osThreadId()` ≤ 1.2× the FFM critical no-op", fmt(r) + "×",
                            r <= 1.2 ? "met" : "NOT met"});
                }
                Score jna = run.get("peer_jna_syscall_gettid");
                if (jna != null) {
                    double r = jna.ns() / id.ns();
                    t.add(new String[] {run.name() + ": ≥ 200× faster than JNA `syscall(SYS_gettid)`", fmt(r) + "×",
                            r >= 200 ? "met" : "NOT met"});
                }
                Score local = run.get("carrierid_carrierLocal_get");
                if (local != null) {
                    double r = local.ns() / id.ns();
                    t.add(new String[] {run.name() + ": `CarrierLocal.get()` ≤ 1.2× `osThreadId()`", fmt(r) + "×",
                            r <= 1.2 ? "met" : "NOT met"});
                }
                Score index = run.get("carrierid_index");
                if (index != null) {
                    double r = index.ns() / id.ns();
                    t.add(new String[] {run.name() + ": `Carrier.index()` ≤ 1.2× `osThreadId()`", fmt(r) + "×",
                            r <= 1.2 ? "met" : "NOT met"});
                }
                Score thread = run.get("carrierid_thread");
                if (thread != null) {
                    double r = thread.ns() / id.ns();
                    t.add(new String[] {run.name() + ": `Carrier.thread()` ≤ 2× `osThreadId()`", fmt(r) + "×",
                            r <= 2 ? "met" : "NOT met"});
                }
            }
        }
        t.addAll(firstCalls.targets());
        return t;
    }

    /** "1.23 ± 0.04" ns for a benchmark of the run, or "-". */
    private static String ns(Run run, String benchmark) {
        Score score = run.get(benchmark);
        return score == null ? "-" : fmt(score.ns()) + " ± " + fmt(score.error());
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    /** A white, antialiased canvas on {@code image}. */
    static Graphics2D canvas(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        return g;
    }

    /** Horizontal bars, one group per benchmark, one bar per run, on a log scale. */
    static void chart(List<Run> runs, String cpu, String date, Path file) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        runs.forEach(r -> names.addAll(r.scores().keySet()));
        List<String> benchmarks = new ArrayList<>(names);
        int bar = 9;
        int group = runs.size() * bar + 8;
        int left = 290;
        int top = 60;
        int plotWidth = 820;
        int width = left + plotWidth + 30;
        int height = top + benchmarks.size() * group + 70;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(image);
        double lo = -1;  // 0.1 ns
        double hi = 7;   // 10 ms
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString("carrierid: ns per call, log scale (shorter is faster)", left, 22);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawString(date + ", " + cpu, left, 40);
        for (int d = (int) lo; d <= hi; d++) {
            int x = left + (int) ((d - lo) / (hi - lo) * plotWidth);
            g.setColor(new Color(225, 225, 225));
            g.drawLine(x, top - 5, x, height - 45);
            g.setColor(Color.DARK_GRAY);
            String label = d < 0 ? "0.1 ns" : d < 3 ? (int) Math.pow(10, d) + " ns" : d < 6 ? (int) Math.pow(10, d - 3) + " µs"
                    : (int) Math.pow(10, d - 6) + " ms";
            g.drawString(label, x - 14, height - 30);
        }
        Color[] colors = {new Color(66, 133, 244), new Color(219, 68, 55), new Color(15, 157, 88), new Color(244, 180, 0)};
        for (int b = 0; b < benchmarks.size(); b++) {
            int y = top + b * group;
            g.setColor(Color.BLACK);
            g.drawString(benchmarks.get(b), 8, y + group / 2 + 2);
            for (int r = 0; r < runs.size(); r++) {
                Score s = runs.get(r).get(benchmarks.get(b));
                if (s == null || !(s.ns() > 0)) {
                    continue;
                }
                double pos = (Math.log10(s.ns()) - lo) / (hi - lo);
                int w = Math.max(1, (int) (Math.min(1, Math.max(0, pos)) * plotWidth));
                g.setColor(colors[r % colors.length]);
                g.fillRect(left, y + r * bar, w, bar - 2);
            }
        }
        int ly = height - 14;
        int lx = left;
        g.setStroke(new BasicStroke(1));
        for (int r = 0; r < runs.size(); r++) {
            g.setColor(colors[r % colors.length]);
            g.fillRect(lx, ly - 9, 12, 9);
            g.setColor(Color.BLACK);
            String label = runs.get(r).name() + " (" + runs.get(r).jdk() + ")";
            g.drawString(label, lx + 16, ly);
            lx += 30 + g.getFontMetrics().stringWidth(label);
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }
}
