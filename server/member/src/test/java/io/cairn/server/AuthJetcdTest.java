package io.cairn.server;

import static io.cairn.server.Jetcd.bs;
import static io.cairn.server.Jetcd.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.Auth;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.auth.Permission;
import io.etcd.jetcd.lock.LockResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * jetcd as a user (it authenticates and sends the token as gRPC metadata): the server-side Lock and Election
 * services act as their caller, so a user may lock and campaign under its prefix and nowhere else.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthJetcdTest {
    @TempDir
    static Path dir;
    private TestMember server;
    private Client root;
    private Client alice;

    @BeforeAll
    void start() throws Exception {
        server = TestMember.start(dir, "memory", "--bcrypt-cost", "4");
        try (Client anonymous = Client.builder().endpoints(server.endpoint()).build()) {
            Auth auth = anonymous.getAuthClient();
            get(auth.userAdd(bs("root"), bs("rootpw")));
            get(auth.userGrantRole(bs("root"), bs("root")));
            get(auth.authEnable());
        }
        root = Client.builder().endpoints(server.endpoint()).user(bs("root")).password(bs("rootpw")).build();
        Auth auth = root.getAuthClient();
        get(auth.userAdd(bs("alice"), bs("alicepw")));
        get(auth.roleAdd(bs("app")));
        get(auth.roleGrantPermission(bs("app"), bs("/app/"), bs("/app0"), Permission.Type.READWRITE));
        get(auth.userGrantRole(bs("alice"), bs("app")));
        alice = Client.builder().endpoints(server.endpoint()).user(bs("alice")).password(bs("alicepw")).build();
    }

    @AfterAll
    void stop() {
        if (alice != null) {
            alice.close();
        }
        if (root != null) {
            root.close();
        }
        server.close();
    }

    @Test
    void aUserLocksUnderItsPrefixOnly() throws Exception {
        LockResponse held = get(alice.getLockClient().lock(bs("/app/lk"), 0));
        assertThat(held.getKey().toString(StandardCharsets.UTF_8)).startsWith("/app/lk/");
        get(alice.getLockClient().unlock(held.getKey()));
        assertThatThrownBy(() -> get(alice.getLockClient().lock(bs("/locks/x"), 0)))
            .hasMessageContaining("etcdserver: permission denied");
        assertThat(get(root.getKVClient().get(bs("/locks/x"))).getCount()).isZero();
    }

    @Test
    void aUserCampaignsUnderItsPrefixOnly() throws Exception {
        var campaign = get(alice.getElectionClient().campaign(bs("/app/el"), 0, bs("me")));
        assertThat(get(alice.getElectionClient().leader(bs("/app/el"))).getKv().getValue().toString(
            StandardCharsets.UTF_8)).isEqualTo("me");
        get(alice.getElectionClient().resign(campaign.getLeader()));
        assertThatThrownBy(() -> get(alice.getElectionClient().campaign(bs("/elections/x"), 0, bs("me"))))
            .hasMessageContaining("etcdserver: permission denied");
        assertThatThrownBy(() -> get(alice.getKVClient().get(bs("/elections/x"))))
            .hasMessageContaining("etcdserver: permission denied");
    }
}
