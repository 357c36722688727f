package io.carrierid;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The self-report: {@code java -jar carrierid.jar [--json]}. Prints
 * {@link Carrier#diagnostics()} and the ids seen on a few platform threads
 * (and virtual threads where the JVM has them), each checked against the
 * kernel: its {@code /proc/thread-self}, or, where {@code /proc} is itself the
 * answering path ({@code -Dcarrierid.path=proc}), the {@code gettid} syscall.
 * Exit status 0 when every id matched, 1 when one did not, 2 for bad arguments.
 */
final class Main {
    static final int PLATFORM_THREADS = 3;
    static final int VIRTUAL_THREADS = 4;

    /** One thread's answers: {@code kernel} is the kernel's tid (the truth), seen from the same carrier. */
    record Sample(String kind, String name, long osThreadId, long kernel, long javaThreadAddress) {
        boolean matches() {
            return osThreadId == kernel;
        }

        String toJson() {
            return new Json.Object().add("kind", kind).add("name", name).add("osThreadId", osThreadId)
                    .add("kernelTid", kernel).add("match", matches())
                    .add("javaThreadAddress", Offsets.hex(javaThreadAddress)).toString();
        }
    }

    private Main() {}

    private static void usage(PrintStream out) {
        out.println("usage: java --enable-native-access=ALL-UNNAMED -jar carrierid.jar [--json | --dump | --help]");
        out.println("  (no option)  the self-report: which path is active and why, and ids checked against /proc");
        out.println("  --json       the same as JSON");
        out.println("  --dump       one JSON line for scripts/verify-offsets: table row, vmStructs, verification");
        out.println("  --help, -h   this text");
        out.println("exit status: 0 every id matched /proc; 1 some did not; 2 a bad argument");
    }

    public static void main(String[] args) throws Exception {
        boolean json = false;
        boolean dump = false;
        for (String arg : args) {
            if (arg.equals("--json")) {
                json = true;
            } else if (arg.equals("--dump")) {
                dump = true;
            } else if (arg.equals("--help") || arg.equals("-h")) {
                usage(System.out);
                return;
            } else {
                System.err.println("carrierid: unknown argument " + arg);
                usage(System.err);
                System.exit(2);
            }
        }
        if (json && dump) {
            System.err.println("carrierid: --json and --dump are two different outputs: choose one");
            usage(System.err);
            System.exit(2);
        }
        // Active (read below) is initialised only by the decision, and must not be before it: wait for it,
        // retries after a transient failure included (diagnostics() alone waits for a running attempt only).
        for (long start = System.nanoTime(); !Init.ready() && System.nanoTime() - start < 60_000_000_000L; ) {
            Thread.sleep(20);
        }
        if (!Init.ready()) {
            System.out.print(Carrier.diagnostics());
            System.out.println("carrierid did not finish initialising within 60 s");
            System.exit(1);
        }
        List<Sample> samples = samples();
        // The first call from a virtual thread checks the walk from there and starts the FFM set-up on a
        // thread of its own (22+): give it a moment, so that the report says how virtual threads are served.
        for (int i = 0; i < 500 && Active.FFM_POSSIBLE && VirtualPath.peek() == VirtualPath.JNI; i++) {
            Thread.sleep(10);
        }
        Diagnostics diagnostics = Carrier.diagnostics(); // after the samples: with the virtual-thread check
        boolean allMatch = samples.stream().allMatch(Sample::matches);
        PrintStream out = System.out;
        if (dump) {
            out.println(OffsetDump.json(Active.OUTCOME, allMatch, samples.size()));
        } else if (json) {
            List<String> rows = new ArrayList<>();
            samples.forEach(s -> rows.add(s.toJson()));
            out.println(new Json.Object().add("pid", ProcessHandle.current().pid())
                    .addRaw("diagnostics", diagnostics.toJson()).add("truth", truthName()).addRaw("threads", rows)
                    .add("allMatch", allMatch));
        } else {
            out.print(diagnostics);
            out.println("threads (pid " + ProcessHandle.current().pid() + "), each checked against " + truthName() + ":");
            String label = gettidIsTruth() ? "gettid=" : "/proc=";
            for (Sample s : samples) {
                out.printf("  %-8s %-22s osThreadId=%-8d %-15s %s javaThread=%s%n", s.kind(), s.name(),
                        s.osThreadId(), label + s.kernel(), s.matches() ? "ok      " : "MISMATCH", Offsets.hex(s.javaThreadAddress()));
            }
            if (diagnostics.fastPath() && Threads.haveVirtualThreads()) {
                out.println("virtual threads were served " + (Dispatch.internalsForAll()
                        ? "with no native call (JDK internals: java.lang is open to carrierid)"
                        : "through " + ActiveFfm.describe()));
                String keys = CarrierKeys.describeKeyRead(Platform.current());
                if (keys != null) {
                    out.println("their carrier's CarrierLocal key is read " + keys);
                }
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
            samples.add(FreshThread.call("carrierid-report-" + i, new FreshThread.Task<Sample>() {
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
        long kernel = gettidIsTruth() ? Native.gettid() : ProcThreadSelf.tid();
        return new Sample(kind, Thread.currentThread().getName(), id, kernel, Carrier.javaThreadAddress());
    }

    /** Where /proc answers, /proc is no independent truth: the gettid syscall is (through the library, loaded then too). */
    private static boolean gettidIsTruth() {
        return Active.PATH == Diagnostics.Path.PORTABLE_PROC && Active.NATIVE_LOADED;
    }

    private static String truthName() {
        return gettidIsTruth() ? "the gettid syscall" : "/proc/thread-self";
    }
}
