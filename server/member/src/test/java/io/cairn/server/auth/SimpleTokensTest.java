package io.cairn.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SimpleTokensTest {
    private static final long TTL = Duration.ofSeconds(300).toNanos();

    private final AtomicLong now = new AtomicLong(1_000);
    private final SimpleTokens tokens = new SimpleTokens(TTL, now::get, true);

    @Test
    void aTokenIsThePrefixAndTheIndexAndNamesItsUserAtTheCurrentRevision() {
        String prefix = tokens.newPrefix();
        assertThat(prefix).matches("[a-zA-Z]{16}");
        String token = tokens.assign("alice", 5, 42, prefix);
        assertThat(token).isEqualTo(prefix + ".42");
        assertThat(tokens.info(token, 9)).contains(new AuthInfo("alice", 9));
        assertThat(tokens.info(prefix + ".43", 9)).isEmpty();
        assertThat(tokens.info("garbage", 9)).isEmpty();
        assertThat(tokens.info(prefix + ".x", 9)).isEmpty();
    }

    @Test
    void anUnknownTokenNamesTheIndexToWaitFor() {
        String prefix = tokens.newPrefix();
        assertThat(tokens.unknownIndex(prefix + ".77")).hasValue(77);
        tokens.assign("alice", 1, 77, prefix);
        assertThat(tokens.unknownIndex(prefix + ".77")).isEmpty();
        assertThat(tokens.unknownIndex("no-index")).isEmpty();
    }

    @Test
    void aTokenLivesTheTtlAfterItsLastUse() {
        String token = tokens.assign("alice", 1, 1, "p");
        now.addAndGet(TTL - 1);
        assertThat(tokens.info(token, 1)).as("used just before it expires").isPresent();
        now.addAndGet(TTL - 1);
        assertThat(tokens.info(token, 1)).as("the use restarted its TTL").isPresent();
        now.addAndGet(TTL + 1);
        assertThat(tokens.info(token, 1)).as("expired").isEmpty();
        assertThat(tokens.size()).isZero();
    }

    @Test
    void issuingDropsExpiredTokens() {
        tokens.assign("alice", 1, 1, "p");
        tokens.assign("bob", 1, 2, "p");
        now.addAndGet(TTL + 1);
        tokens.assign("carol", 1, 3, "p");
        assertThat(tokens.size()).isEqualTo(1);
    }

    @Test
    void invalidatingAUserOrDisablingForgetsTokens() {
        String a1 = tokens.assign("alice", 1, 1, "p");
        String a2 = tokens.assign("alice", 1, 2, "q");
        String b = tokens.assign("bob", 1, 3, "p");
        tokens.invalidateUser("alice");
        assertThat(tokens.info(a1, 1)).isEmpty();
        assertThat(tokens.info(a2, 1)).isEmpty();
        assertThat(tokens.info(b, 1)).isPresent();
        tokens.enabledChanged(false);
        assertThat(tokens.info(b, 1)).isEmpty();
        String issuedWhileOff = tokens.assign("bob", 1, 4, "p");
        tokens.enabledChanged(true);
        assertThat(tokens.info(issuedWhileOff, 1)).as("etcd issues but never knows it").isEmpty();
    }
}
