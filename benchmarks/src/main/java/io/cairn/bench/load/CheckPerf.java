package io.cairn.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ETCDCTL_API=3 etcdctl --endpoints=URL check perf --load=L}: 60 s of puts; {@code s} is 150/s from 50
 * clients, {@code m} 1,000/s from 200 clients (etcdctl's own loads, larger ones need more than one member); etcdctl
 * prints one line per criterion (throughput over 90 % of the limit, slowest request under 0.5 s, stddev under 0.1 s)
 * and then {@code PASS} or {@code FAIL}. The whole output goes to a log file; the verdict lines are kept.
 */
final class CheckPerf {
    static final Duration LIMIT = Duration.ofMinutes(5);
    /** The loads run, in order: etcdctl's small and medium. */
    static final List<String> LOADS = List.of("s", "m");
    /** Where a verdict line starts; etcdctl prints the first one right after its progress bar, on the same line. */
    private static final Pattern VERDICT =
        Pattern.compile("\\b(PASS|FAIL)\\b|Slowest request took too long|Stddev too high");
    private static final Pattern THROUGHPUT = Pattern.compile("(\\d+) writes/s");
    private static final Pattern SLOWEST = Pattern.compile("[Ss]lowest request took (?:too long: )?([0-9.]+s)");
    private static final Pattern STDDEV = Pattern.compile("Stddev (?:is |too high: )([0-9.]+s)");

    private CheckPerf() {
    }

    /**
     * What etcdctl said.
     *
     * @param load etcdctl's {@code --load} value
     * @param verdict {@code PASS}, {@code FAIL}, or {@code ERROR} when etcdctl printed neither (see the log)
     * @param lines the verdict lines, in order
     */
    record Result(String load, String verdict, Optional<String> throughput, Optional<String> slowest,
                  Optional<String> stddev, List<String> lines, Path log) {
    }

    static Result run(Path etcdctl, String endpoint, String load, Path log)
        throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(etcdctl.toString(), "--endpoints=" + endpoint, "check", "perf",
            "--load=" + load).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("ETCDCTL_API", "3");
        Process p = pb.start();
        if (!p.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            Files.writeString(log, "\n[cairn-bench] etcdctl killed after " + LIMIT + "\n",
                java.nio.file.StandardOpenOption.APPEND);
        }
        return parse(load, Files.readString(log, StandardCharsets.UTF_8), log);
    }

    /** Reads etcdctl's output; progress-bar redraws ({@code \r}) are separate lines. */
    static Result parse(String load, String output, Path log) {
        List<String> lines = Arrays.stream(output.split("[\r\n]+")).map(CheckPerf::verdictPart)
            .flatMap(Optional::stream).toList();
        String verdict = lines.contains("PASS") ? "PASS" : lines.contains("FAIL") ? "FAIL" : "ERROR";
        return new Result(load, verdict, find(THROUGHPUT, lines).map(n -> n + " writes/s"), find(SLOWEST, lines),
            find(STDDEV, lines), lines, log);
    }

    private static Optional<String> verdictPart(String line) {
        Matcher m = VERDICT.matcher(line);
        return m.find() ? Optional.of(line.substring(m.start()).strip()) : Optional.empty();
    }

    private static Optional<String> find(Pattern pattern, List<String> lines) {
        for (String l : lines) {
            Matcher m = pattern.matcher(l);
            if (m.find()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }
}
