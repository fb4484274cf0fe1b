package io.cairn.bench.load;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code bin/cairn-bench server-vs-etcd}: Cairn and the real etcd 3.4 measured by the same load generator on the
 * same machine in one run, one server at a time (see {@link CompareOptions#usage()}). Writes the report to
 * {@code --output} and the raw figures beside it; each load's etcd-style report goes to stdout as it finishes.
 */
public final class ServerVsEtcd {
    private ServerVsEtcd() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        CompareOptions options;
        try {
            options = CompareOptions.parse(args);
        } catch (UsageException e) {
            (e.help() ? out : System.err).println(e.getMessage());
            System.exit(e.help() ? 0 : 2);
            return;
        }
        System.exit(run(options, out, System.err));
    }

    static int run(CompareOptions o, PrintStream out, PrintStream err) throws IOException, InterruptedException {
        Path runDir = Files.createTempDirectory(Files.createDirectories(o.workDir()), "run-");
        MachineFacts facts = MachineFacts.collect(runDir, o.etcdBinary());
        if (facts.loadPerCore() > ComparisonReport.BUSY_LOAD_PER_CORE) {
            err.printf("[server-vs-etcd] warning: load average %s on %d cores: the machine is busy%n",
                facts.loadAverage(), facts.nproc());
        }
        List<ComparisonReport.Outcome> outcomes = new ArrayList<>();
        for (String server : o.servers()) {
            outcomes.add(measure(server, o, runDir.resolve(server), out, err));
        }
        Path md = o.output();
        Files.createDirectories(md.toAbsolutePath().getParent());
        Files.writeString(md, ComparisonReport.markdown(o, facts, outcomes), StandardCharsets.UTF_8);
        Path json = md.resolveSibling(md.getFileName().toString().replaceAll("\\.md$", "") + ".json");
        Files.writeString(json, ComparisonReport.json(facts, outcomes), StandardCharsets.UTF_8);
        err.println("[server-vs-etcd] wrote " + md + " and " + json + "; logs in " + runDir);
        return 0;
    }

    private static ComparisonReport.Outcome measure(String server, CompareOptions o, Path dir, PrintStream out,
                                                    PrintStream err) throws IOException, InterruptedException {
        err.println("[server-vs-etcd] starting " + server + " in " + dir);
        try (MemberProcess m = server.equals("cairn")
            ? MemberProcess.cairn(o.cairnClasspath(), o.cairnJavaOptions(), dir)
            : MemberProcess.etcd(o.etcdBinary(), dir)) {
            ClientOptions c = o.put().client();
            ClientOptions here = new ClientOptions(List.of(m.endpoint()), c.conns(), c.clients(), c.dialTimeout(),
                c.requestTimeout());
            if (o.warmupPuts() > 0) {
                LoadMain.execute(o.put().withClient(here).withTotal(o.warmupPuts()).withLabel(m.name + " warmup"), err);
            }
            LoadStats put = load(o.put().withClient(here).withLabel(m.name), out, err);
            LoadStats range = load(o.range().withClient(here).withLabel(m.name), out, err);
            List<CheckPerf.Result> perf = new ArrayList<>();
            for (String load : o.checkPerf() ? CheckPerf.LOADS : List.<String>of()) {
                err.println("[server-vs-etcd] etcdctl check perf --load=" + load + " against " + m.name + " (60 s)");
                CheckPerf.Result r = CheckPerf.run(o.etcdctl(), m.clientUrl, load,
                    dir.resolve("check-perf-" + load + ".log"));
                r.lines().forEach(l -> out.println(m.name + " --load=" + load + ": " + l));
                perf.add(r);
            }
            return new ComparisonReport.Outcome(m.name, put, range, perf);
        } finally {
            deleteTree(dir.resolve("data"));
        }
    }

    private static LoadStats load(LoadOptions options, PrintStream out, PrintStream err) throws InterruptedException {
        LoadStats s = LoadMain.execute(options, err);
        out.print(ReportText.format(s, false));
        out.println();
        return s;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
