package io.cairn.bench.load;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code bin/cairn-bench load <subcommand> [flags]}: the report on stdout (UTF-8, etcd's layout), progress and
 * warnings on stderr. Exit 0 after a run (failed requests are in the report, as with etcd), 2 for a bad command line.
 */
public final class LoadMain {
    static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);

    private LoadMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.exit(run(args, out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws IOException, InterruptedException {
        LoadOptions options;
        try {
            options = LoadArgs.parse(args);
        } catch (UsageException e) {
            (e.help() ? out : err).println(e.getMessage());
            return e.help() ? 0 : 2;
        }
        options.range().ifPresent(r -> out.println("bench with " + (r.serializable() ? "serializable" : "linearizable")
            + " range"));
        LoadStats stats = execute(options, err);
        out.print(ReportText.format(stats, options.output().precise()));
        out.flush();
        if (options.output().json().isPresent()) {
            Path json = options.output().json().get();
            ReportJson.write(json, options, stats);
            err.println("[cairn-bench] wrote " + json);
        }
        return 0;
    }

    /** Opens the connections, runs the load, closes them; progress goes to {@code progress}. */
    public static LoadStats execute(LoadOptions options, PrintStream progress) throws InterruptedException {
        try (Channels channels = Channels.open(options.client())) {
            Duration dial = options.client().dialTimeout();
            if (!dial.isZero()) {
                int ready = channels.awaitReady(dial);
                if (ready < channels.list().size()) {
                    progress.printf("[cairn-bench] warning: %d of %d connections ready after --dial-timeout %s%n",
                        ready, channels.list().size(), GoDuration.format(dial));
                }
            }
            if (options.command() == Command.WATCH_LATENCY) {
                return new WatchLatency(options, channels.list(), System::nanoTime, progress, PROGRESS_INTERVAL).run();
            }
            return new LoadRunner(options, Workload.of(options), channels.list(), System::nanoTime, progress,
                PROGRESS_INTERVAL).run();
        }
    }
}
