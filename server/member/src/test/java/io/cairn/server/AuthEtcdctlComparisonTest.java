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
 * Authentication and roles with the real etcdctl 3.4, against Cairn and against the real etcd 3.4 side by side:
 * every step must give the same exit status, output and gRPC error. The session enables authentication (etcdctl
 * creates role root on the way), manages users and roles, and checks what a user with a prefix grant may read,
 * write, watch and transact, then changes a password, deletes what it made and disables authentication. Both
 * servers use bcrypt cost 4 to keep it fast.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthEtcdctlComparisonTest {
    private static final String ROOT = "--user=root:rootpw";
    private static final String ALICE = "--user=alice:alicepw";

    @TempDir
    static Path dir;
    private TestMember cairn;
    private ReferenceEtcd etcd;

    @BeforeAll
    void start() throws Exception {
        etcd = ReferenceEtcd.start(dir.resolve("etcd"), "--bcrypt-cost", "4");
        cairn = TestMember.start(dir.resolve("cairn"), "memory", "--bcrypt-cost", "4");
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

    private static List<EtcdctlStep> enableAndManage() {
        List<EtcdctlStep> s = new ArrayList<>();
        s.add(cmd("auth", "enable"));
        s.add(cmd("user", "add", "root:rootpw"));
        s.add(cmd("auth", "enable"));
        s.add(cmd("put", "foo", "bar"));
        s.add(cmd("--user=root:wrong", "get", "foo"));
        s.add(cmd("--user=nobody:x", "get", "foo"));
        s.add(cmd(ROOT, "user", "add", "alice:alicepw"));
        s.add(cmd(ROOT, "user", "add", "alice:other"));
        s.add(cmd(ROOT, "role", "add", "app"));
        s.add(cmd(ROOT, "role", "add", "app"));
        s.add(cmd(ROOT, "role", "grant-permission", "app", "--prefix", "readwrite", "/app/"));
        s.add(cmd(ROOT, "role", "grant-permission", "app", "read", "/shared"));
        s.add(cmd(ROOT, "role", "grant-permission", "app", "write", "/inbox", "/inboy"));
        s.add(cmd(ROOT, "role", "grant-permission", "nope", "read", "/x"));
        s.add(cmd(ROOT, "role", "get", "app"));
        // not compared: "role get root", which etcd 3.5 (and Cairn) answer with read-write on every key, 3.4 with none
        s.add(cmd(ROOT, "user", "grant-role", "alice", "app"));
        s.add(cmd(ROOT, "user", "grant-role", "alice", "nope"));
        s.add(cmd(ROOT, "user", "grant-role", "bob", "app"));
        s.add(cmd(ROOT, "user", "get", "alice"));
        s.add(cmd(ROOT, "user", "get", "alice", "--detail"));
        s.add(cmd(ROOT, "user", "get", "bob"));
        s.add(cmd(ROOT, "user", "list"));
        s.add(cmd(ROOT, "role", "list"));
        s.add(cmd(ROOT, "put", "/app/1", "one"));
        s.add(cmd(ROOT, "put", "/secret", "s"));
        s.add(cmd(ROOT, "put", "/shared", "sh"));
        return s;
    }

    private static List<EtcdctlStep> asAlice() {
        List<EtcdctlStep> s = new ArrayList<>();
        s.add(cmd(ALICE, "get", "/app/1"));
        s.add(cmd(ALICE, "get", "/secret"));
        s.add(cmd(ALICE, "get", "/app/", "--prefix"));
        s.add(cmd(ALICE, "get", "", "--prefix"));
        s.add(cmd(ALICE, "get", "/shared", "--consistency=s"));
        s.add(cmd(ALICE, "put", "/app/2", "two"));
        s.add(cmd(ALICE, "put", "/shared", "x"));
        s.add(cmd(ALICE, "put", "/inbox", "v"));
        s.add(cmd(ALICE, "put", "/inbox", "v", "--prev-kv"));
        s.add(cmd(ALICE, "del", "/app/2", "--prev-kv"));
        s.add(cmd(ALICE, "del", "/secret"));
        s.add(new EtcdctlStep("value(\"/secret\") = \"s\"\n\nput /app/t 1\n\n\n", ALICE, "txn"));
        s.add(new EtcdctlStep("value(\"/app/1\") = \"one\"\n\nput /app/t 1\n\nput /secret x\n\n", ALICE, "txn"));
        s.add(new EtcdctlStep("value(\"/app/1\") = \"one\"\n\nput /app/t 1\n\nget /shared\n\n", ALICE, "txn"));
        s.add(cmd(ALICE, "watch", "/secret"));
        s.add(cmd(ALICE, "watch", "--prefix", "/"));
        s.add(cmd(ALICE, "user", "list"));
        s.add(cmd(ALICE, "user", "get", "alice"));
        s.add(cmd(ALICE, "user", "get", "root"));
        s.add(cmd(ALICE, "role", "get", "app"));
        s.add(cmd(ALICE, "role", "get", "root"));
        s.add(cmd(ALICE, "user", "add", "eve:e"));
        s.add(cmd(ALICE, "auth", "disable"));
        s.add(cmd(ALICE, "endpoint", "hashkv"));
        s.add(cmd(ALICE, "compaction", "1"));
        return s;
    }

    private static List<EtcdctlStep> changeAndDisable() {
        List<EtcdctlStep> s = new ArrayList<>();
        s.add(cmd(ROOT, "user", "revoke-role", "root", "root"));
        s.add(cmd(ROOT, "user", "delete", "root"));
        s.add(cmd(ROOT, "role", "delete", "root"));
        s.add(cmd(ROOT, "user", "revoke-role", "alice", "nope"));
        s.add(cmd(ROOT, "role", "revoke-permission", "app", "/shared"));
        s.add(cmd(ROOT, "role", "revoke-permission", "app", "/shared"));
        s.add(new EtcdctlStep("alicepw2\n", ROOT, "user", "passwd", "alice", "--interactive=false"));
        s.add(cmd(ALICE, "get", "/app/1"));
        s.add(cmd("--user=alice:alicepw2", "get", "/app/1"));
        s.add(cmd(ROOT, "role", "delete", "app"));
        s.add(cmd("--user=alice:alicepw2", "get", "/app/1"));
        s.add(cmd(ROOT, "user", "delete", "alice"));
        s.add(cmd(ROOT, "user", "delete", "alice"));
        s.add(cmd("auth", "disable"));
        s.add(cmd(ROOT, "auth", "disable"));
        s.add(cmd("get", "/app/1"));
        s.add(cmd("user", "list"));
        return s;
    }

    @TestFactory
    Stream<DynamicTest> sameAnswersAsEtcd() {
        List<EtcdctlStep> steps = new ArrayList<>(enableAndManage());
        steps.addAll(asAlice());
        steps.addAll(changeAndDisable());
        return steps.stream().map(step -> step.against(etcd.url, cairn.endpoint(), false));
    }
}
