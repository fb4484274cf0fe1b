package io.cairn.server.peer;

import io.cairn.raft.pb.Message;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongPredicate;

/** One member's side of the transport in tests: records everything the transport delivers and reports. */
final class PeerRecorder implements Inbound, Reporter, PeerListener, SnapshotSource {
    record Refusal(long peer, String reason, boolean byLocal) {
    }

    record SnapshotStatus(long peer, boolean failed) {
    }

    record Receipt(Message message, long bytes, String sha256) {
    }

    /** What {@link PeerListener#snapshotSent} or {@link PeerListener#snapshotReceived} said. */
    record Outcome(long peer, long bytes, Optional<String> failure) {
    }

    interface SnapshotSink {
        void accept(Message m, InputStream image) throws IOException;
    }

    interface SnapshotWriter {
        long write(Message m, OutputStream out) throws IOException;
    }

    interface Handler {
        CompletableFuture<byte[]> handle(long from, int method, byte[] body);
    }

    final Queue<Message> received = new ConcurrentLinkedQueue<>();
    final Queue<Long> unreachable = new ConcurrentLinkedQueue<>();
    final Queue<SnapshotStatus> snapshotStatuses = new ConcurrentLinkedQueue<>();
    final Queue<Refusal> refusals = new ConcurrentLinkedQueue<>();
    final Queue<Receipt> receipts = new ConcurrentLinkedQueue<>();
    final Queue<Outcome> snapshotsSent = new ConcurrentLinkedQueue<>();
    final Queue<Outcome> snapshotsReceived = new ConcurrentLinkedQueue<>();
    private final Queue<Boolean> activeChanges = new ConcurrentLinkedQueue<>();
    volatile LongPredicate removed = id -> false;
    volatile SnapshotSink snapshotSink = this::digest;
    volatile SnapshotWriter snapshotWriter = (m, out) -> 0;
    volatile Handler handler = (from, method, body) -> CompletableFuture.failedFuture(
        new UnsupportedOperationException("no handler"));

    @Override
    public void receive(Message m) {
        received.add(m);
    }

    @Override
    public void receiveSnapshot(Message m, InputStream image) throws IOException {
        snapshotSink.accept(m, image);
    }

    @Override
    public CompletableFuture<byte[]> handle(long from, int method, byte[] body) {
        return handler.handle(from, method, body);
    }

    @Override
    public void unreachable(long id) {
        unreachable.add(id);
    }

    @Override
    public void snapshotStatus(long id, boolean failed) {
        snapshotStatuses.add(new SnapshotStatus(id, failed));
    }

    @Override
    public void activeChanged(long peer, boolean active) {
        activeChanges.add(active);
    }

    /** Every {@link #activeChanged} so far, in order (tests use one peer). */
    List<Boolean> activeChanges() {
        return List.copyOf(activeChanges);
    }

    @Override
    public void refused(long peer, String reason, boolean byLocal) {
        refusals.add(new Refusal(peer, reason, byLocal));
    }

    @Override
    public void snapshotSent(long peer, long imageBytes, Duration took, Optional<String> failure) {
        snapshotsSent.add(new Outcome(peer, imageBytes, failure));
    }

    @Override
    public void snapshotReceived(long peer, long imageBytes, Duration took, Optional<String> failure) {
        snapshotsReceived.add(new Outcome(peer, imageBytes, failure));
    }

    @Override
    public long write(Message snapshot, OutputStream out) throws IOException {
        return snapshotWriter.write(snapshot, out);
    }

    /** The {@code index} fields of the messages received from {@code from}, in arrival order. */
    List<Long> indexesFrom(long from) {
        return received.stream().filter(m -> m.getFrom() == from).map(Message::getIndex).toList();
    }

    /** The default snapshot sink: reads the whole image in small reads and records its size and SHA-256. */
    void digest(Message m, InputStream image) throws IOException {
        MessageDigest sha = sha256();
        long n = 0;
        try (DigestInputStream in = new DigestInputStream(image, sha)) {
            byte[] buf = new byte[8192];
            for (int r = in.read(buf); r >= 0; r = in.read(buf)) {
                n += r;
            }
        }
        receipts.add(new Receipt(m, n, HexFormat.of().formatHex(sha.digest())));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What a DISCOVER connection is answered with. */
    static final byte[] MEMBERSHIP = "recorded-membership".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    @Override
    public byte[] membership() {
        return MEMBERSHIP.clone();
    }
}
