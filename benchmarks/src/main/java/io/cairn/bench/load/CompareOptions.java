package io.cairn.bench.load;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The comparison driver's command line: its own flags (below), and every other flag handed to the put load as
 * {@code cairn-bench load put} reads it. Put defaults follow etcd's performance guide: {@code --conns=100
 * --clients=1000 --total=100000 --key-size=8 --val-size=256 --sequential-keys}, plus {@code --key-space-size} = total
 * (distinct keys) and {@code --dial-timeout=10s} (connections are up before the clock starts).
 *
 * @param put the put load (its endpoints are replaced by each server's)
 * @param range the linearizable range load, run after the puts: key number 0 of the put key space, same clients
 * @param servers which of {@code cairn}, {@code etcd} to run, in order
 * @param warmupPuts puts sent to each server before the measured ones and not reported (0: none, as etcd's guide)
 * @param invokedAs the command line to print in the report
 */
record CompareOptions(LoadOptions put, LoadOptions range, int warmupPuts, List<String> servers, String cairnClasspath,
                      List<String> cairnJavaOptions, Path etcdBinary, Path etcdctl, boolean checkPerf, Path output,
                      Path workDir, String invokedAs) {
    static final List<String> PUT_DEFAULTS = List.of("--conns=100", "--clients=1000", "--dial-timeout=10s", "put",
        "--total=100000", "--key-size=8", "--val-size=256", "--sequential-keys");

    static String usage() {
        return """
            Usage: cairn-bench server-vs-etcd [flags] [put flags]
            Starts a Cairn member, then the real etcd, each alone on loopback with a fresh data directory, and runs the
            same put load, a linearizable range load and etcdctl check perf --load=s against each; writes a Markdown
            report and its raw figures (.json beside it).

              --cairn-classpath CP     Cairn's classpath (bin/cairn-bench passes it)            (required)
              --cairn-java-opts OPTS   extra JVM options for the Cairn member, space-separated
              --etcd PATH              etcd binary                                   (default /usr/bin/etcd)
              --etcdctl PATH           etcdctl binary                                (default /usr/bin/etcdctl)
              --servers LIST           which servers, in order                       (default cairn,etcd)
              --range-total N          range requests                                (default: put --total)
              --warmup N               unreported puts before the measured ones, same shape (default 0)
              --skip-check-perf        do not run etcdctl check perf (60 s per server)
              --output FILE            the report                       (default benchmarks/results/server.md)
              --work-dir DIR           data directories and logs        (default benchmarks/target/server-vs-etcd)
              put flags                --clients --conns --total --key-size --val-size --key-space-size
                                       --sequential-keys --rate --request-timeout --dial-timeout
            """;
    }

    static CompareOptions parse(String... args) {
        Builder b = new Builder();
        List<String> putArgs = new ArrayList<>(PUT_DEFAULTS);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                throw UsageException.helpText(usage());
            }
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            boolean inline = a.contains("=");
            if (!b.knows(name)) {
                putArgs.add(a);
                continue;
            }
            if (name.equals("--skip-check-perf")) {
                b.checkPerf = false;
                continue;
            }
            if (!inline && i + 1 >= args.length) {
                throw new UsageException("flag needs an argument: " + name);
            }
            b.set(name, inline ? a.substring(a.indexOf('=') + 1) : args[++i]);
        }
        return b.build(putArgs);
    }

    private static final class Builder {
        private static final List<String> FLAGS = List.of("--cairn-classpath", "--cairn-java-opts", "--etcd",
            "--etcdctl", "--servers", "--range-total", "--warmup", "--skip-check-perf", "--output", "--work-dir",
            "--invoked-as");
        String cairnClasspath = "";
        String cairnJavaOpts = "";
        String etcd = "/usr/bin/etcd";
        String etcdctl = "/usr/bin/etcdctl";
        String servers = "cairn,etcd";
        String rangeTotal = "";
        String warmup = "0";
        boolean checkPerf = true;
        String output = "benchmarks/results/server.md";
        String workDir = "benchmarks/target/server-vs-etcd";
        String invokedAs = "";

        boolean knows(String flag) {
            return FLAGS.contains(flag);
        }

        void set(String flag, String value) {
            switch (flag) {
                case "--cairn-classpath" -> cairnClasspath = value;
                case "--cairn-java-opts" -> cairnJavaOpts = value;
                case "--etcd" -> etcd = value;
                case "--etcdctl" -> etcdctl = value;
                case "--servers" -> servers = value;
                case "--range-total" -> rangeTotal = value;
                case "--warmup" -> warmup = value;
                case "--output" -> output = value;
                case "--work-dir" -> workDir = value;
                case "--invoked-as" -> invokedAs = value;
                default -> throw new IllegalStateException(flag);
            }
        }

        CompareOptions build(List<String> putArgs) {
            if (putArgs.stream().noneMatch(a -> a.startsWith("--key-space-size"))) {
                putArgs.add("--key-space-size=" + LoadArgs.parse(putArgs.toArray(String[]::new)).total());
            }
            LoadOptions put = LoadArgs.parse(putArgs.toArray(String[]::new));
            int ranges = rangeTotal.isEmpty() ? put.total() : parseCount("--range-total", rangeTotal, 1);
            int warmupPuts = parseCount("--warmup", warmup, 0);
            LoadOptions range = new LoadOptions(Command.RANGE, put.client(), ranges, 0, put.keys(), 1,
                Optional.of(new RangeTarget(Keys.key(0, put.keys().keySizeBytes()), ByteString.EMPTY,
                    false)), OutputOptions.DEFAULT);
            List<String> which = Arrays.stream(servers.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .toList();
            if (which.isEmpty() || !List.of("cairn", "etcd").containsAll(which)) {
                throw new UsageException("--servers takes cairn, etcd or both (comma-separated), got " + servers);
            }
            if (which.contains("cairn") && cairnClasspath.isEmpty()) {
                throw new UsageException("--cairn-classpath is required (bin/cairn-bench server-vs-etcd passes it)");
            }
            List<String> javaOpts = cairnJavaOpts.isBlank() ? List.of() : List.of(cairnJavaOpts.strip().split("\\s+"));
            return new CompareOptions(put, range, warmupPuts, which, cairnClasspath, javaOpts, Path.of(etcd),
                Path.of(etcdctl), checkPerf, Path.of(output), Path.of(workDir), invokedAs);
        }

        private static int parseCount(String flag, String s, int min) {
            try {
                int n = Integer.parseInt(s.replace("_", ""));
                if (n >= min) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new UsageException("invalid argument \"" + s + "\" for \"" + flag + "\" flag: expected a count >= "
                + min);
        }
    }
}
