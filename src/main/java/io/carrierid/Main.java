package io.carrierid;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The self-report: {@code java -jar carrierid.jar [--json]}. Prints
 * {@link Carrier#diagnostics()} and the ids seen on a few platform threads
 * (and virtual threads where the JVM has them), each checked against the
 * kernel's {@code /proc/thread-self}. Exit status 0 when every id matched,
 * 1 when one did not, 2 for bad arguments.
 */
final class Main {
    static final int PLATFORM_THREADS = 3;
    static final int VIRTUAL_THREADS = 4;

    /** One thread's answers: {@code proc} is the kernel's tid seen from the same carrier. */
    record Sample(String kind, String name, long osThreadId, long proc, long javaThreadAddress) {
        boolean matches() {
            return osThreadId == proc;
        }

        String toJson() {
            return new Json.Object().add("kind", kind).add("name", name).add("osThreadId", osThreadId)
                    .add("procThreadSelf", proc).add("match", matches())
                    .add("javaThreadAddress", Offsets.hex(javaThreadAddress)).toString();
        }
    }

    private Main() {}

    public static void main(String[] args) throws Exception {
        boolean json = false;
        boolean dump = false;
        for (String arg : args) {
            if (arg.equals("--json")) {
                json = true;
            } else if (arg.equals("--dump")) {
                dump = true;
            } else if (arg.equals("--help") || arg.equals("-h")) {
                System.out.println("usage: java --enable-native-access=ALL-UNNAMED -jar carrierid.jar [--json | --dump]");
                System.out.println("  (no option)  the self-report: which path is active and why, and ids checked against /proc");
                System.out.println("  --json       the same as JSON");
                System.out.println("  --dump       one JSON line for scripts/verify-offsets: table row, vmStructs, verification");
                return;
            } else {
                System.err.println("carrierid: unknown argument " + arg + " (usage: [--json])");
                System.exit(2);
            }
        }
        Diagnostics diagnostics = Carrier.diagnostics();
        List<Sample> samples = samples();
        // The first call from a virtual thread starts the FFM set-up on a thread of its own (22+):
        // give it a moment, so that the report says how virtual threads are served from now on.
        for (int i = 0; i < 500 && Active.FFM_POSSIBLE && !Init.ffmReady(); i++) {
            Thread.sleep(10);
        }
        boolean allMatch = samples.stream().allMatch(Sample::matches);
        PrintStream out = System.out;
        if (dump) {
            out.println(OffsetDump.json(diagnostics, allMatch, samples.size()));
        } else if (json) {
            List<String> rows = new ArrayList<>();
            samples.forEach(s -> rows.add(s.toJson()));
            out.println(new Json.Object().add("pid", ProcessHandle.current().pid())
                    .addRaw("diagnostics", diagnostics.toJson()).addRaw("threads", rows)
                    .add("allMatch", allMatch));
        } else {
            out.print(diagnostics);
            out.println("threads (pid " + ProcessHandle.current().pid() + "), each checked against /proc/thread-self:");
            for (Sample s : samples) {
                out.printf("  %-8s %-22s osThreadId=%-8d /proc=%-8d %s javaThread=%s%n", s.kind(), s.name(),
                        s.osThreadId(), s.proc(), s.matches() ? "ok      " : "MISMATCH", Offsets.hex(s.javaThreadAddress()));
            }
            if (diagnostics.fastPath() && Threads.haveVirtualThreads()) {
                out.println("virtual threads were served through " + ActiveFfm.describe());
            }
            out.println(allMatch ? "all ids match the kernel's" : "SOME IDS DO NOT MATCH");
        }
        out.flush();
        System.exit(allMatch ? 0 : 1);
    }

    static List<Sample> samples() throws Exception {
        List<Sample> samples = new ArrayList<>();
        samples.add(sample("platform"));
        for (int i = 0; i < PLATFORM_THREADS; i++) {
            samples.add(Verification.onFreshThread("carrierid-report-" + i, new Verification.Task<Sample>() {
                @Override
                Sample call() {
                    return sample("platform");
                }
            }));
        }
        if (Threads.haveVirtualThreads()) {
            Sample[] virtual = new Sample[VIRTUAL_THREADS];
            CountDownLatch done = new CountDownLatch(VIRTUAL_THREADS);
            for (int i = 0; i < VIRTUAL_THREADS; i++) {
                int index = i;
                Threads.startVirtual(() -> {
                    Thread.currentThread().setName("virtual-" + index);
                    virtual[index] = sample("virtual");
                    done.countDown();
                });
            }
            done.await();
            samples.addAll(List.of(virtual));
        }
        return samples;
    }

    private static Sample sample(String kind) {
        long id = Carrier.osThreadId();
        long proc = Portable.procTid();
        return new Sample(kind, Thread.currentThread().getName(), id, proc, Carrier.javaThreadAddress());
    }
}
