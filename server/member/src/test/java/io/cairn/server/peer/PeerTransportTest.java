package io.cairn.server.peer;

import static io.cairn.server.peer.PeerFixture.app;
import static io.cairn.server.peer.PeerFixture.apps;
import static io.cairn.server.peer.PeerFixture.range;
import static io.cairn.server.peer.PeerFixture.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cairn.server.peer.PeerRecorder.Refusal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Raft messages, reconnects, handshake refusals, the bounded queue, RPC calls and close, over real TCP. */
class PeerTransportTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final PeerFixture fixture = new PeerFixture();

    @AfterEach
    void closeAll() {
        fixture.close();
    }

    @Test
    void threeMembersExchangeMessagesInOrderBothWays() {
        PeerRecorder[] r = {new PeerRecorder(), new PeerRecorder(), new PeerRecorder()};
        PeerTransport[] t = new PeerTransport[3];
        for (int i = 0; i < 3; i++) {
            t[i] = fixture.start(i + 1, r[i]);
        }
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                if (i != j) {
                    t[i].addPeer(j + 1, List.of(url(t[j])));
                }
            }
        }
        int batches = 20;
        int perBatch = 50;
        for (int b = 0; b < batches; b++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    if (i != j) {
                        t[i].send(apps(i + 1, j + 1, (long) b * perBatch, perBatch));
                    }
                }
            }
        }
        int total = batches * perBatch;
        for (int j = 0; j < 3; j++) {
            PeerRecorder to = r[j];
            await().atMost(WAIT).until(() -> to.received.size() == 2 * total);
            for (int i = 0; i < 3; i++) {
                if (i != j) {
                    assertThat(to.indexesFrom(i + 1)).as("%d -> %d", i + 1, j + 1).isEqualTo(range(0, total));
                }
            }
        }
        assertThat(t[0].activePeers()).containsExactly(2L, 3L);
        assertThat(t[0].stats(2).sentBytes()).isPositive();
        assertThat(t[1].stats(1).receivedBytes()).isPositive();
        assertThat(t[0].stats(2).sentFailures()).isZero();
        assertThat(r[0].unreachable).isEmpty();
    }

    @Test
    void aPeerStartedLaterGetsTheQueuedMessagesAndAgainAfterARestart() {
        int port = PeerFixture.freePort();
        PeerRecorder ra = new PeerRecorder();
        PeerTransport a = fixture.start(1, ra);
        a.addPeer(2, List.of(url(PeerFixture.freePort()), url(port)));
        a.send(apps(1, 2, 0, 10));
        assertThat(a.isActive(2)).isFalse();

        PeerRecorder rb = new PeerRecorder();
        PeerTransport b = fixture.start(2, rb, port, s -> s);
        await().atMost(WAIT).until(() -> rb.received.size() == 10);
        assertThat(rb.indexesFrom(1)).isEqualTo(range(0, 10));
        await().atMost(WAIT).until(() -> ra.activeChanges().equals(List.of(true)));
        assertThat(a.isActive(2)).isTrue();

        b.close();
        await().atMost(WAIT).until(() -> ra.activeChanges().equals(List.of(true, false)));
        await().atMost(WAIT).until(() -> ra.unreachable.contains(2L));
        PeerRecorder rb2 = new PeerRecorder();
        fixture.start(2, rb2, port, s -> s);
        a.send(apps(1, 2, 10, 5));
        await().atMost(WAIT).until(() -> rb2.received.size() == 5);
        assertThat(rb2.indexesFrom(1)).isEqualTo(range(10, 5));
        await().atMost(WAIT).until(() -> ra.activeChanges().equals(List.of(true, false, true)));
    }

    @Test
    void aClusterIdMismatchIsRefusedOnBothSides() {
        PeerRecorder ra = new PeerRecorder();
        PeerRecorder rb = new PeerRecorder();
        PeerTransport a = fixture.start(1, ra);
        PeerTransport b = fixture.start(2, rb, 0, s -> new PeerSettings(2, 0xc2, s.listen(), s.limits(),
            s.isRemoved(), s.isMember(), s.inbound(), s.reporter(), s.snapshots(), s.listener(), s.security()));
        assertRefused(a, 2, b, ra, rb, "cluster ID mismatch: local=c2 remote=c1");
    }

    @Test
    void aConnectionMeantForAnotherMemberIsRefused() {
        PeerRecorder ra = new PeerRecorder();
        PeerRecorder rb = new PeerRecorder();
        PeerTransport a = fixture.start(1, ra);
        PeerTransport b = fixture.start(2, rb);
        assertRefused(a, 3, b, ra, rb, "member ID mismatch: local=2, the sender 1 meant 3");
    }

    @Test
    void aRemovedMemberIsRefused() {
        PeerRecorder ra = new PeerRecorder();
        PeerRecorder rb = new PeerRecorder();
        rb.removed = id -> id == 1;
        PeerTransport a = fixture.start(1, ra);
        PeerTransport b = fixture.start(2, rb);
        assertRefused(a, 2, b, ra, rb, "member 1 was removed from the cluster");
    }

    @Test
    void aSenderThatIsNotAMemberYetIsRefusedUntilItIsOne() {
        PeerRecorder ra = new PeerRecorder();
        PeerRecorder rb = new PeerRecorder();
        AtomicBoolean added = new AtomicBoolean();
        PeerTransport a = fixture.start(1, ra);
        PeerTransport b = fixture.start(2, rb, 0, s -> s.withMembers(id -> id == 2 || added.get()));
        a.addPeer(2, List.of(url(b)));
        a.send(apps(1, 2, 0, 3));
        String reason = "member 1 is not a member of cluster c1 (not added, or this member has not applied its "
            + "addition yet)";
        await().atMost(WAIT).until(() -> ra.refusals.size() >= 2 && rb.refusals.size() >= 2);
        assertThat(rb.refusals).first().isEqualTo(new Refusal(1, reason, true));
        assertThat(ra.refusals).first().isEqualTo(new Refusal(2, reason, false));
        assertThat(rb.received).isEmpty();

        added.set(true);
        await().atMost(WAIT).until(() -> a.isActive(2));
        a.send(apps(1, 2, 3, 2));
        await().atMost(WAIT).until(() -> !rb.received.isEmpty());
    }

    /** {@code a} dials {@code b}'s URL as member {@code as}: both sides see {@code reason}, nothing arrives. */
    private static void assertRefused(PeerTransport a, long as, PeerTransport b, PeerRecorder ra, PeerRecorder rb,
        String reason) {
        a.addPeer(as, List.of(url(b)));
        a.send(apps(1, as, 0, 3));
        await().atMost(WAIT).until(() -> ra.refusals.size() >= 2 && rb.refusals.size() >= 2);
        assertThat(ra.refusals).first().isEqualTo(new Refusal(as, reason, false));
        assertThat(rb.refusals).first().isEqualTo(new Refusal(1, reason, true));
        assertThat(rb.received).isEmpty();
        assertThat(a.isActive(as)).isFalse();
        assertThat(ra.activeChanges()).isEmpty();
    }

    @Test
    void aFullQueueDropsCountsAndReportsUnreachable() {
        PeerRecorder ra = new PeerRecorder();
        PeerTransport a = fixture.start(1, ra, 0, s -> s.withLimits(s.limits().withQueueMessages(8)));
        a.addPeer(2, List.of(url(PeerFixture.freePort())));
        a.send(apps(1, 2, 0, 20));
        assertThat(a.stats(2).sentFailures()).isEqualTo(12);
        assertThat(ra.unreachable).hasSize(12).containsOnly(2L);

        a.send(List.of(app(1, 9, 0)));
        assertThat(a.droppedUnknownPeer()).isEqualTo(1);
    }

    @Test
    void callsRoundTripAndCarryErrorsAndTimeouts() throws Exception {
        PeerRecorder rb = new PeerRecorder();
        CompletableFuture<byte[]> never = new CompletableFuture<>();
        rb.handler = (from, method, body) -> switch (method) {
            case 1 -> CompletableFuture.completedFuture(("pong " + from + " " + new String(body,
                StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
            case 2 -> CompletableFuture.failedFuture(new IllegalStateException("lease 5 not found"));
            case 3 -> never;
            default -> throw new IllegalArgumentException("no method " + method);
        };
        PeerTransport a = fixture.start(1, new PeerRecorder());
        PeerTransport b = fixture.start(2, rb);
        a.addPeer(2, List.of(url(b)));
        await().atMost(WAIT).until(() -> a.isActive(2));

        byte[] pong = a.call(2, 1, "ping".getBytes(StandardCharsets.UTF_8), WAIT).get(10, TimeUnit.SECONDS);
        assertThat(new String(pong, StandardCharsets.UTF_8)).isEqualTo("pong 1 ping");
        assertThatThrownBy(() -> a.call(2, 2, new byte[0], WAIT).get(10, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class).cause().isInstanceOf(RemoteCallException.class)
            .hasMessage("peer 2 failed method 2: lease 5 not found");
        assertThatThrownBy(() -> a.call(2, 7, new byte[0], WAIT).get(10, TimeUnit.SECONDS))
            .cause().isInstanceOf(RemoteCallException.class).hasMessageContaining("no method 7");
        assertThatThrownBy(() -> a.call(2, 3, new byte[0], Duration.ofMillis(100)).get(10, TimeUnit.SECONDS))
            .cause().isInstanceOf(TimeoutException.class).hasMessage("peer 2 did not answer method 3 within 100 ms");
        assertThatThrownBy(() -> a.call(5, 1, new byte[0], WAIT).get(10, TimeUnit.SECONDS))
            .cause().isInstanceOf(PeerUnavailableException.class).hasMessage("peer 5 is unknown");
        never.complete(new byte[0]);
    }

    @Test
    void closeIsPromptIdempotentAndFailsPendingCalls() throws Exception {
        PeerRecorder rb = new PeerRecorder();
        rb.handler = (from, method, body) -> new CompletableFuture<>();
        PeerTransport a = fixture.start(1, new PeerRecorder());
        PeerTransport b = fixture.start(2, rb);
        a.addPeer(2, List.of(url(b)));
        b.addPeer(1, List.of(url(a)));
        await().atMost(WAIT).until(() -> a.isActive(2) && b.isActive(1));
        CompletableFuture<byte[]> pending = a.call(2, 1, new byte[0], Duration.ofSeconds(30));

        long start = System.nanoTime();
        a.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        a.close();
        assertThatThrownBy(() -> pending.get(10, TimeUnit.SECONDS)).cause()
            .isInstanceOf(PeerUnavailableException.class);
        assertThat(a.activePeers()).isEmpty();
        a.send(apps(1, 2, 0, 3));
        await().atMost(WAIT).until(() -> !b.isActive(1));
        assertThat(a.call(2, 1, new byte[0], WAIT)).isCompletedExceptionally();
    }
}
