package io.cairn.server.peer;

import static io.cairn.server.peer.PeerFixture.apps;
import static io.cairn.server.peer.PeerFixture.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cairn.raft.pb.Message;
import io.cairn.raft.pb.MessageType;
import io.cairn.raft.pb.Snapshot;
import io.cairn.raft.pb.SnapshotMetadata;
import io.cairn.server.peer.PeerRecorder.Outcome;
import io.cairn.server.peer.PeerRecorder.SnapshotStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** MsgSnap with a streamed backend image: integrity, the verdict, one in flight per peer. */
class PeerSnapshotTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long IMAGE_BYTES = (20L << 20) + 12_345;
    private final PeerFixture fixture = new PeerFixture();
    private final PeerRecorder ra = new PeerRecorder();
    private final PeerRecorder rb = new PeerRecorder();

    @AfterEach
    void closeAll() {
        fixture.close();
    }

    @Test
    void aTwentyMebibyteImageArrivesIntactAndIsReportedSent() {
        AtomicReference<String> sentSha = new AtomicReference<>();
        ra.snapshotWriter = (m, out) -> {
            MessageDigest sha = PeerRecorder.sha256();
            long n = writeImage(out, m.getSnapshot().getMetadata().getIndex(), IMAGE_BYTES, sha);
            sentSha.set(HexFormat.of().formatHex(sha.digest()));
            return n;
        };
        PeerTransport a = connectedPair();
        a.send(List.of(snap(42, 3)));

        await().atMost(WAIT).until(() -> !ra.snapshotStatuses.isEmpty());
        assertThat(ra.snapshotStatuses).containsExactly(new SnapshotStatus(2, false));
        PeerRecorder.Receipt receipt = rb.receipts.peek();
        assertThat(receipt.bytes()).isEqualTo(IMAGE_BYTES);
        assertThat(receipt.sha256()).isEqualTo(sentSha.get());
        assertThat(receipt.message().getSnapshot().getMetadata().getIndex()).isEqualTo(42);
        assertThat(receipt.message().getSnapshot().getMetadata().getTerm()).isEqualTo(3);
        assertThat(ra.snapshotsSent).containsExactly(new Outcome(2, IMAGE_BYTES, Optional.empty()));
        await().atMost(WAIT).until(() -> !rb.snapshotsReceived.isEmpty());
        assertThat(rb.snapshotsReceived).containsExactly(new Outcome(1, IMAGE_BYTES, Optional.empty()));
        assertThat(a.stats(2).snapshotSendSuccess()).isEqualTo(1);
        assertThat(a.stats(2).sentBytes()).isGreaterThan(IMAGE_BYTES);

        a.send(apps(1, 2, 0, 3));
        await().atMost(WAIT).until(() -> rb.received.size() == 3);
    }

    @Test
    void aReceiverThatFailsIsReportedAsAFailedSnapshot() {
        ra.snapshotWriter = (m, out) -> writeImage(out, 1, IMAGE_BYTES, PeerRecorder.sha256());
        rb.snapshotSink = (m, image) -> {
            image.readNBytes(1 << 20);
            throw new IOException("no space left on device");
        };
        PeerTransport a = connectedPair();
        a.send(List.of(snap(10, 2)));

        await().atMost(WAIT).until(() -> !ra.snapshotStatuses.isEmpty());
        assertThat(ra.snapshotStatuses).containsExactly(new SnapshotStatus(2, true));
        assertThat(a.stats(2).snapshotSendFailures()).isEqualTo(1);
        assertThat(ra.snapshotsSent).singleElement().extracting(Outcome::failure)
            .isEqualTo(Optional.of("no space left on device"));
        assertThat(rb.receipts).isEmpty();
    }

    @Test
    void aSourceThatFailsIsReportedAndTheReceiverSeesAnError() {
        ra.snapshotWriter = (m, out) -> {
            out.write(new byte[1000]);
            throw new IOException("backend closed");
        };
        AtomicReference<Exception> seen = new AtomicReference<>();
        rb.snapshotSink = (m, image) -> {
            try {
                image.readAllBytes();
            } catch (IOException e) {
                seen.set(e);
                throw e;
            }
        };
        PeerTransport a = connectedPair();
        a.send(List.of(snap(10, 2)));

        await().atMost(WAIT).until(() -> !ra.snapshotStatuses.isEmpty() && seen.get() != null);
        assertThat(ra.snapshotStatuses).containsExactly(new SnapshotStatus(2, true));
        assertThat(seen.get()).hasMessageContaining("closed before the snapshot ended");
        assertThat(ra.snapshotsSent).singleElement().extracting(Outcome::failure)
            .isEqualTo(Optional.of("backend closed"));
    }

    @Test
    void onlyOneSnapshotPerPeerIsInFlight() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ra.snapshotWriter = (m, out) -> {
            started.countDown();
            try {
                release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            out.write(new byte[] {1, 2, 3});
            return 3;
        };
        PeerTransport a = connectedPair();
        a.send(List.of(snap(5, 1)));
        assertThat(started.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        a.send(List.of(snap(6, 1)));
        assertThat(a.stats(2).sentFailures()).isEqualTo(1);
        release.countDown();

        await().atMost(WAIT).until(() -> !ra.snapshotStatuses.isEmpty());
        assertThat(ra.snapshotStatuses).containsExactly(new SnapshotStatus(2, false));
        assertThat(rb.receipts).hasSize(1);
        assertThat(rb.receipts.peek().message().getSnapshot().getMetadata().getIndex()).isEqualTo(5);
    }

    /** Member 1 (recording into {@link #ra}) with member 2 (into {@link #rb}) as its peer. */
    private PeerTransport connectedPair() {
        PeerTransport a = fixture.start(1, ra);
        PeerTransport b = fixture.start(2, rb);
        a.addPeer(2, List.of(url(b)));
        return a;
    }

    private static Message snap(long index, long term) {
        return Message.newBuilder().setType(MessageType.MsgSnap).setFrom(1).setTo(2).setTerm(term)
            .setSnapshot(Snapshot.newBuilder().setMetadata(SnapshotMetadata.newBuilder().setIndex(index)
                .setTerm(term)))
            .build();
    }

    /** Writes {@code total} pseudo-random bytes seeded by {@code seed}, in writes of varying size. */
    private static long writeImage(OutputStream out, long seed, long total, MessageDigest sha) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] buf = new byte[100_000];
        long left = total;
        while (left > 0) {
            int n = (int) Math.min(left, 1 + random.nextInt(buf.length));
            random.nextBytes(buf);
            sha.update(buf, 0, n);
            out.write(buf, 0, n);
            left -= n;
        }
        return total;
    }
}
