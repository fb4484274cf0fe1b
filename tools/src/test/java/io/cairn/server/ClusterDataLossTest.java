package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.tools.CairnUtl;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The clustering issue's seed scenario 5 (data loss) on three real member processes: {@code etcdctl snapshot save}
 * from one member, the keys deleted, every member stopped, {@code cairnutl snapshot restore} of that file into new
 * data dirs with etcdutl's flags, the restored cluster started: the deleted keys are back, at a revision bumped and
 * marked compacted (Cairn's default), so a watch from an old revision is told it was compacted.
 */
class ClusterDataLossTest {
    @TempDir
    Path dir;

    @Test
    void aSnapshotRestoredIntoNewDataDirsBringsDeletedKeysBack() throws Exception {
        Path backup = dir.resolve("backup.db");
        long revisionAtBackup;
        try (TestCluster c = TestCluster.create(dir.resolve("before"), 3)) {
            c.startAll();
            c.awaitLeader();
            for (int i = 0; i < 10; i++) {
                c.ctl("m" + (i % 3 + 1), "put", "precious/" + i, "v" + i);
            }
            assertThat(c.ctl("m2", "snapshot", "save", backup.toString())).contains("Snapshot saved");
            revisionAtBackup = c.status("m2").get("header").get("revision").asLong();
            assertThat(c.ctl("m1", "del", "precious/", "--prefix")).contains("10");
            assertThat(c.ctl("m3", "get", "precious/", "--prefix")).isEmpty();
            for (String n : List.of("m1", "m2", "m3")) {
                c.stop(n);
            }
        }

        try (TestCluster c = TestCluster.create(dir.resolve("after"), 3)) {
            List<String> names = List.of("m1", "m2", "m3");
            String initialCluster = c.initialCluster(names);
            for (String n : names) {
                TestCluster.Node node = c.get(n);
                restore(backup.toString(), "--name", n, "--data-dir", node.dataDir().toString(),
                    "--initial-cluster", initialCluster, "--initial-cluster-token", c.token(),
                    "--initial-advertise-peer-urls", node.peerUrl());
            }
            c.startAll();
            c.awaitLeader();
            for (String n : names) {
                String values = c.ctl(n, "get", "precious/", "--prefix");
                for (int i = 0; i < 10; i++) {
                    assertThat(values).as("on " + n).contains("precious/" + i + "\nv" + i + "\n");
                }
            }
            long revision = c.status("m1").get("header").get("revision").asLong();
            assertThat(revision).isGreaterThan(1_000_000_000L + revisionAtBackup - 1);
            EtcdctlProcess.Result old = c.ctlAny("m1", "get", "precious/1", "--rev", Long.toString(revisionAtBackup));
            assertThat(old.output()).contains("required revision has been compacted");
            assertThat(c.ctl("m3", "put", "after-restore", "ok")).contains("OK");
        }
    }

    private static void restore(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new CairnUtl()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        String[] full = new String[args.length + 2];
        full[0] = "snapshot";
        full[1] = "restore";
        System.arraycopy(args, 0, full, 2, args.length);
        assertThat(cli.execute(full)).as(out + "\n" + err).isZero();
    }
}
