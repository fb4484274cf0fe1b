package io.cairn.server;

import static io.cairn.server.EtcdctlStep.cmd;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same etcdctl session against Cairn and against the real etcd 3.4, step by step: every command must give the
 * same exit status, the same output (IDs normalized) and the same gRPC error code and message. Both start empty,
 * so revisions, versions and raft terms must match too. The steps run in order and share state; each is reported
 * as its own test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EtcdctlComparisonTest {
    @TempDir
    static Path dir;

    private TestMember cairn;
    private ReferenceEtcd etcd;

    private static EtcdctlStep txn(String script) {
        return new EtcdctlStep(script, "txn");
    }

    @BeforeAll
    void start() throws Exception {
        etcd = ReferenceEtcd.start(dir.resolve("etcd"));
        cairn = TestMember.start(dir.resolve("cairn"), "rocksdb");
    }

    @AfterAll
    void stop() throws Exception {
        if (cairn != null) {
            cairn.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    private static List<EtcdctlStep> kvSession() {
        List<EtcdctlStep> s = new ArrayList<>();
        s.add(cmd("put", "foo", "bar"));
        s.add(cmd("put", "foo", "bar2", "--prev-kv"));
        s.add(cmd("get", "foo"));
        s.add(cmd("get", "foo", "-w", "json"));
        s.add(cmd("get", "foo", "-w", "fields"));
        s.add(cmd("get", "foo", "-w", "table"));
        s.add(cmd("put", "foo1", "x"));
        s.add(cmd("put", "foo2", "y"));
        s.add(cmd("put", "fop", "z"));
        s.add(cmd("get", "foo", "--prefix"));
        s.add(cmd("get", "foo", "--prefix", "--keys-only"));
        s.add(cmd("get", "foo", "--prefix", "--print-value-only"));
        s.add(cmd("get", "foo", "--prefix", "--sort-by=MODIFY", "--order=DESCEND"));
        s.add(cmd("get", "foo", "--prefix", "--sort-by=VALUE", "--order=ASCEND", "-w", "json"));
        s.add(cmd("get", "foo", "--prefix", "--limit", "1", "-w", "json"));
        s.add(cmd("get", "foo", "--from-key"));
        s.add(cmd("get", "foo", "fop"));
        s.add(cmd("get", "foo", "--rev", "2"));
        s.add(cmd("get", "foo", "--consistency=s"));
        s.add(cmd("get", "missing"));
        s.add(cmd("get", "missing", "-w", "json"));
        s.add(cmd("put", "foo", "--ignore-value"));
        s.add(cmd("put", "foo", "v", "--ignore-lease"));
        s.add(txn("value(\"foo\") = \"bar2\"\n\nput foo ok\n\nput foo fail\n\n"));
        s.add(txn("mod(\"foo\") > \"0\"\nversion(\"foo\") = \"3\"\ncreate(\"foo\") < \"100\"\n\nget fop\ndel foo1\n\n"
            + "put never x\n\n"));
        s.add(new EtcdctlStep("mod(\"foo\") > \"0\"\n\nput t1 a\n\nput t2 b\n\n", "txn", "-w", "json"));
        s.add(cmd("del", "foo1"));
        s.add(cmd("del", "nothing"));
        s.add(cmd("del", "foo", "--prefix", "--prev-kv"));
        s.add(cmd("get", "", "--from-key", "-w", "json"));
        return s;
    }

    private static List<EtcdctlStep> errorSession() {
        List<EtcdctlStep> s = new ArrayList<>();
        s.add(cmd("get", "fop", "--rev", "1000"));
        s.add(cmd("put", "", "v"));
        s.add(cmd("get", ""));
        s.add(cmd("put", "--lease=1234", "k", "v"));
        s.add(txn("\nput a 1\nput a 2\n\n\n"));
        s.add(new EtcdctlStep("a".repeat(2_000_000), "put", "big"));
        StringBuilder many = new StringBuilder("\n");
        for (int i = 0; i < 129; i++) {
            many.append("put many").append(i).append(" v\n");
        }
        s.add(txn(many + "\n\n"));
        s.add(cmd("compaction", "3"));
        s.add(cmd("get", "foo", "--rev", "2"));
        s.add(cmd("compaction", "2"));
        s.add(cmd("compaction", "1000"));
        s.add(cmd("compaction", "--physical", "5"));
        s.add(cmd("get", "", "--from-key", "--keys-only"));
        s.add(cmd("lease", "revoke", "1234"));
        s.add(cmd("lease", "grant", "9000000001"));
        s.add(cmd("lease", "timetolive", "1234"));
        s.add(cmd("lease", "keep-alive", "--once", "1234"));
        s.add(cmd("put", "k", "v", "--lease=4d2"));
        s.add(cmd("member", "remove", "1234"));
        s.add(cmd("member", "promote", "1234"));
        s.add(cmd("alarm", "list"));
        s.add(cmd("alarm", "disarm"));
        s.add(cmd("endpoint", "hashkv", "--rev", "1000"));
        return s;
    }

    @TestFactory
    Stream<DynamicTest> sameAnswersAsEtcd() {
        List<EtcdctlStep> steps = new ArrayList<>(kvSession());
        steps.addAll(errorSession());
        return steps.stream().map(step -> step.against(etcd.url, cairn.endpoint(),
            step.args()[step.args().length - 1].equals("missing") || step.args()[0].equals("alarm")));
    }
}
