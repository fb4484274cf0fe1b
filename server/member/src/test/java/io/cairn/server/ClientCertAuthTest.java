package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.tls.TestPki;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --client-cert-auth with auth enabled, driven by the real etcdctl 3.4: a request without a token acts as the user
 * its client certificate's CN names (etcd's AuthInfoFromTLS); a token, when given, takes precedence.
 */
class ClientCertAuthTest {
    @TempDir
    static Path dir;
    static TestPki.Ca ca;
    static TestPki.Issued root;
    static TestPki.Issued alice;
    static TestPki.Issued stranger;
    static TestMember member;

    @BeforeAll
    static void start() throws Exception {
        TestPki pki = new TestPki(dir.resolve("pki"));
        ca = pki.ca("ca");
        TestPki.Issued server = pki.issue(ca, "server").cn("cairn-server").server().write();
        root = pki.issue(ca, "root").cn("root").client().write();
        alice = pki.issue(ca, "alice").cn("alice").client().write();
        stranger = pki.issue(ca, "stranger").cn("stranger").client().write();
        member = TestMember.start(dir.resolve("data"), "rocksdb", "--listen-client-urls", "https://127.0.0.1:0",
            "--advertise-client-urls", "https://127.0.0.1:0", "--cert-file", server.cert().toString(),
            "--key-file", server.key().toString(), "--trusted-ca-file", ca.cert().toString(), "--client-cert-auth");
        ctlOk(root, "user", "add", "root:rootpw");
        ctlOk(root, "user", "add", "alice:alicepw");
        ctlOk(root, "role", "add", "app");
        ctlOk(root, "role", "grant-permission", "app", "--prefix", "readwrite", "/app/");
        ctlOk(root, "user", "grant-role", "alice", "app");
        assertThat(ctlOk(root, "auth", "enable")).contains("Authentication Enabled");
    }

    @AfterAll
    static void stop() {
        if (member != null) {
            member.close();
        }
    }

    private static EtcdctlProcess.Result ctl(TestPki.Issued who, String... args) throws Exception {
        String[] out = new String[args.length + 4];
        out[0] = "--cacert=" + ca.cert();
        out[1] = "--cert=" + who.cert();
        out[2] = "--key=" + who.key();
        out[3] = "--command-timeout=5s";
        System.arraycopy(args, 0, out, 4, args.length);
        return EtcdctlProcess.runAny(member.endpoint(), out);
    }

    private static String ctlOk(TestPki.Issued who, String... args) throws Exception {
        EtcdctlProcess.Result r = ctl(who, args);
        assertThat(r.exitCode()).as(r.output()).isZero();
        return r.output();
    }

    @Test
    void theCertificatesCommonNameIsTheUser() throws Exception {
        assertThat(ctlOk(alice, "put", "/app/cert", "v")).contains("OK");
        assertThat(ctlOk(alice, "get", "/app/cert", "--print-value-only")).isEqualTo("v\n");
        EtcdctlProcess.Result outside = ctl(alice, "put", "/other", "v");
        assertThat(outside.exitCode()).isNotZero();
        assertThat(outside.output()).contains("etcdserver: permission denied");
        EtcdctlProcess.Result admin = ctl(alice, "user", "list");
        assertThat(admin.exitCode()).isNotZero();
        assertThat(admin.output()).contains("permission denied");
        assertThat(ctlOk(root, "user", "list")).contains("alice").contains("root");
    }

    @Test
    void aCommonNameThatIsNoUserMayDoNothing() throws Exception {
        EtcdctlProcess.Result r = ctl(stranger, "get", "/app/cert");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.output()).contains("etcdserver: permission denied");
    }

    @Test
    void aTokenTakesPrecedenceOverTheCertificate() throws Exception {
        assertThat(ctlOk(alice, "--user", "root:rootpw", "put", "/other/by-root", "r")).contains("OK");
        EtcdctlProcess.Result wrongPassword = ctl(root, "--user", "root:wrong", "get", "/app/cert");
        assertThat(wrongPassword.exitCode()).isNotZero();
        assertThat(wrongPassword.output())
            .contains("etcdserver: authentication failed, invalid user ID or password");
    }
}
