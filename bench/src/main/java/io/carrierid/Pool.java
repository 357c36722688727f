package io.carrierid;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * PoolBenchmark's results (JMH JSON, run with {@code -prof gc}) for the report: one
 * row per pool, and the chart of what CarrierLocal is for (with MemoryDemo's lines).
 */
record Pool(String name, double millis, double error, double buffersMade, double bytesAllocated) {
    static List<Pool> parse(String json) {
        List<Pool> pools = new ArrayList<>();
        for (String chunk : json.split("\"benchmark\"\\s*:\\s*\"")) {
            Matcher name = Pattern.compile("\"pool\"\\s*:\\s*\"([^\"]*)\"").matcher(chunk);
            Matcher hold = Pattern.compile("\"hold\"\\s*:\\s*\"([^\"]*)\"").matcher(chunk);
            if (!chunk.contains("primaryMetric") || !name.find()) {
                continue;
            }
            String label = name.group(1) + (hold.find() ? ", " + hold.group(1) : "");
            String primary = chunk.substring(chunk.indexOf("primaryMetric"));
            pools.add(new Pool(label, number(primary, "score"), number(primary, "scoreError"),
                    secondary(chunk, "buffersMade") / secondary(chunk, "operations"),
                    secondary(chunk, "gc.alloc.rate.norm")));
        }
        return pools;
    }

    private static double number(String text, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*\"?([-0-9.eENaInfity]+)\"?").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static double secondary(String chunk, String metric) {
        int at = chunk.indexOf("\"" + metric + "\"");
        return at < 0 ? Double.NaN : number(chunk.substring(at), "score");
    }

    static String markdown(List<Pool> pools) {
        StringBuilder md = new StringBuilder("\n## A per-carrier buffer pool under contention (JDK 25)\n\n");
        md.append("`PoolBenchmark`: one operation starts 1,000 virtual threads; each borrows an 8 KiB buffer 4 times, ")
                .append("fills part of it and gives it back, blocking 20 µs (`parkNanos`, standing in for I/O) either while ")
                .append("it holds the buffer (`acrossBlocking`) or after it gave it back (`betweenBlocking`). ")
                .append("`carrierLocal`: the README's `getAndSet(null)` / `compareAndSet(null, buf)` pattern; ")
                .append("`threadLocal`: `ThreadLocal.withInitial` (a buffer per virtual thread); `sharedQueue`: one ")
                .append("`ConcurrentLinkedQueue`. Buffers made and bytes allocated per operation (`-prof gc`).\n\n")
                .append("| pool | ms/op | ± error | buffers made/op | MiB allocated/op |\n|---|---:|---:|---:|---:|\n");
        for (Pool p : pools) {
            md.append("| ").append(p.name()).append(" | ").append(BenchReport.fmt(p.millis())).append(" | ")
                    .append(BenchReport.fmt(p.error())).append(" | ").append(BenchReport.fmt(p.buffersMade())).append(" | ")
                    .append(BenchReport.fmt(p.bytesAllocated() / (1024 * 1024))).append(" |\n");
        }
        md.append("\n![what CarrierLocal is for](carrierlocal.png)\n");
        return md.toString();
    }

    /** Three panels of horizontal bars: ms/op, buffers made/op, and MemoryDemo's heap in use (10^5 threads). */
    static void chart(List<Pool> pools, String memory, String cpu, String date, Path file) throws IOException {
        List<String> labels = new ArrayList<>();
        List<Double> heap = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^(\\w+)\\s+threads=100000 .*heapInUseMiB=(\\d+)").matcher(memory);
        while (m.find()) {
            labels.add(m.group(1));
            heap.add(Double.parseDouble(m.group(2)));
        }
        String[][] panelTitles = {
            {"PoolBenchmark: time per operation (1,000 virtual threads x 4 borrows), ms", "ms"},
            {"PoolBenchmark: buffers made per operation", ""},
            {"heap in use, 100,000 virtual threads each holding a buffer (MemoryDemo), MiB", "MiB"},
        };
        int width = 960;
        int rowHeight = 22;
        int panelHeight = 40 + Math.max(3, pools.size()) * rowHeight;
        int height = 70 + 3 * panelHeight;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = BenchReport.canvas(image);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString("What CarrierLocal is for: buffers per carrier, not per virtual thread (JDK 25)", 20, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawString(date + ", " + cpu + "; shorter is better", 20, 42);
        Color[] colors = {new Color(15, 157, 88), new Color(219, 68, 55), new Color(66, 133, 244)}; // carrier, thread, shared
        for (int panel = 0; panel < 3; panel++) {
            int top = 60 + panel * panelHeight;
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
            g.drawString(panelTitles[panel][0], 20, top + 14);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            List<String> names = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            if (panel < 2) {
                for (Pool p : pools) {
                    names.add(p.name());
                    values.add(panel == 0 ? p.millis() : p.buffersMade());
                }
            } else {
                names.addAll(labels);
                values.addAll(heap);
            }
            double max = 0;
            for (double v : values) {
                max = Double.isNaN(v) ? max : Math.max(max, v);
            }
            for (int i = 0; i < names.size(); i++) {
                int y = top + 24 + i * rowHeight;
                g.setColor(Color.BLACK);
                g.drawString(names.get(i), 20, y + 13);
                double v = values.get(i);
                if (Double.isNaN(v) || max <= 0) {
                    continue;
                }
                int w = Math.max(1, (int) (v / max * 560));
                String n = names.get(i).toLowerCase(java.util.Locale.ROOT);
                g.setColor(n.startsWith("carrier") ? colors[0] : n.startsWith("thread") ? colors[1] : colors[2]);
                g.fillRect(240, y + 2, w, rowHeight - 6);
                g.setColor(Color.BLACK);
                g.drawString(BenchReport.fmt(v) + (panelTitles[panel][1].isEmpty() ? "" : " " + panelTitles[panel][1]),
                        248 + w, y + 13);
            }
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }
}
