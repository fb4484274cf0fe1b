package io.cairn.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The facts the results files start with (see {@code benchmarks/results/*.md}): date, commit, CPU and core count,
 * memory, the disk holding the data directories, OS, JVM, the etcd version, and the load average when the run began
 * (the machine is shared; a busy one makes the numbers a smoke test). Unknown facts read {@code ?}.
 *
 * @param commit short hash; {@code dirty} when the work tree had uncommitted changes
 * @param loadAverage {@code /proc/loadavg}'s 1, 5 and 15 minute figures
 */
record MachineFacts(LocalDate date, String commit, boolean dirty, String cpu, int nproc, long memoryGiB, String disk,
                    String os, String jvm, String etcdVersion, String loadAverage) {
    private static final int COMMAND_WAIT_SECONDS = 30;

    static MachineFacts collect(Path dataDisk, Path etcdBinary) {
        String cpu = grepFirst(Path.of("/proc/cpuinfo"), "model name");
        long memKb = parseLong(grepFirst(Path.of("/proc/meminfo"), "MemTotal").replaceAll("[^0-9]", ""));
        String df = lastLine(run("df", "-hT", dataDisk.toString()));
        String[] d = df.split("\\s+");
        String disk = d.length >= 3 ? d[0] + " (" + d[1] + ") " + d[2] : "?";
        String etcd = firstLine(run(etcdBinary.toString(), "--version"));
        String load = String.join(" ", List.of(read(Path.of("/proc/loadavg")).split("\\s+")).subList(0, 3));
        return new MachineFacts(LocalDate.now(), firstLine(run("git", "rev-parse", "--short", "HEAD")),
            !run("git", "status", "--porcelain", "--untracked-files=no").isBlank(), cpu,
            Runtime.getRuntime().availableProcessors(), memKb / 1024 / 1024, disk,
            firstLine(run("uname", "-sr")), "OpenJDK " + System.getProperty("java.version"), etcd, load);
    }

    /** The 1-minute load average per core when the run started; above 1 the machine was busy. */
    double loadPerCore() {
        try {
            return Double.parseDouble(loadAverage.split(" ")[0]) / Math.max(1, nproc);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    String markdown() {
        return String.format(Locale.ROOT, """
            - date: %s, commit `%s`%s
            - CPU: %s (nproc %d), memory %d GiB; disk %s (the data directories)
            - OS: %s; JVM: %s (load generator and Cairn); %s (`/usr/bin/etcd`, Debian)
            - load average when the run started: %s
            """, date, commit, dirty ? " plus uncommitted changes" : "", cpu, nproc, memoryGiB, disk, os, jvm,
            etcdVersion, loadAverage);
    }

    private static String grepFirst(Path file, String prefix) {
        return read(file).lines().filter(l -> l.startsWith(prefix)).findFirst()
            .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("?");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "? ? ?";
        }
    }

    /** A command's stdout, or {@code ?} when it cannot run or takes too long. */
    static String run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(COMMAND_WAIT_SECONDS, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "?";
        } catch (IOException e) {
            return "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    private static String firstLine(String s) {
        return s.lines().findFirst().orElse("?").strip();
    }

    private static String lastLine(String s) {
        List<String> lines = s.lines().toList();
        return lines.isEmpty() ? "?" : lines.get(lines.size() - 1).strip();
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
