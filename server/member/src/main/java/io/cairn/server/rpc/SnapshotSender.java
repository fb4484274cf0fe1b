package io.cairn.server.rpc;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.SnapshotResponse;
import io.cairn.backend.Backend;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams one backend snapshot as etcd's Maintenance.Snapshot does: chunks of {@link #CHUNK_BYTES} whose
 * {@code remaining_bytes} count down to 0, then one last message whose blob is the SHA-256 of every byte sent
 * before it (etcd's integrity trailer; {@code etcdctl snapshot save} writes blobs as they come, so the saved file
 * ends with it). What is sent before the trailer:
 * <pre>
 *   Cairn snapshot stream     Backend#snapshot: engine-independent, with its own SHA-256 (io.cairn.backend.snapshot)
 *   zero bytes                up to a multiple of {@link #ALIGN_BYTES}
 *   --- etcd's SHA-256 of all of the above (32 bytes) ---
 * </pre>
 * The padding exists because etcdctl (3.4.2x, 3.5) refuses a saved file whose size is not 32 more than a multiple
 * of 512 ("sha256 checksum not found"): bbolt files are page-sized, Cairn's stream is not. This is not a bbolt
 * file, so {@code etcdctl snapshot status|restore} cannot read it; {@code cairnutl} restores it: check the size
 * and the trailer, then hand the bytes before the trailer to {@code Backends.restore}, which stops at the Cairn
 * stream's own end and ignores the padding.
 *
 * <p>The backend image is first written to a spool file under {@code spoolDir}, because etcd announces the exact
 * size up front and Cairn's stream size is known only once written; the spool file is deleted when the stream
 * ends, fails or is cancelled. Sending follows gRPC flow control ({@code isReady}/{@code onReady}), so a slow
 * client never makes the server buffer more than a chunk or so. One instance per call; its methods are
 * serialized by gRPC and also synchronized.
 */
final class SnapshotSender {
    /** etcd's snapshotSendBufferSize. */
    static final int CHUNK_BYTES = 32 * 1024;
    /** The saved file's size before the trailer is a multiple of this (etcdctl's disk-sector check). */
    static final int ALIGN_BYTES = 512;
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotSender.class);

    private final ServerCallStreamObserver<SnapshotResponse> out;
    private final Path spool;
    private final FileChannel channel;
    private final long imageBytes;
    private final long totalBytes;
    private final MessageDigest sha = sha256();
    private long sentBytes;
    private boolean finished;

    private SnapshotSender(ServerCallStreamObserver<SnapshotResponse> out, Path spool, long imageBytes)
        throws IOException {
        this.out = out;
        this.spool = spool;
        this.imageBytes = imageBytes;
        this.totalBytes = (imageBytes + ALIGN_BYTES - 1) / ALIGN_BYTES * ALIGN_BYTES;
        this.channel = FileChannel.open(spool, StandardOpenOption.READ);
    }

    /** Writes the snapshot to a spool file in {@code spoolDir}, then starts sending it on {@code out}. */
    static void start(Backend backend, Path spoolDir, ServerCallStreamObserver<SnapshotResponse> out) {
        Path spool = null;
        try {
            Files.createDirectories(spoolDir);
            spool = Files.createTempFile(spoolDir, "snapshot-", ".part");
            long image;
            try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(spool), CHUNK_BYTES)) {
                image = backend.snapshot(file);
            }
            SnapshotSender sender = new SnapshotSender(out, spool, image);
            LOG.atInfo().addKeyValue("total-bytes", sender.totalBytes).log("sending database snapshot to client");
            out.setOnCancelHandler(sender::cancelled);
            out.setOnReadyHandler(sender::drain);
            sender.drain();
        } catch (IOException | RuntimeException e) {
            deleteQuietly(spool);
            out.onError(Status.UNKNOWN.withDescription("cairn: snapshot: " + e.getMessage()).asRuntimeException());
        }
    }

    /** Sends while the transport is ready; the last message carries the SHA-256 and completes the call. */
    synchronized void drain() {
        try {
            while (!finished && out.isReady()) {
                if (sentBytes < totalBytes) {
                    sendChunk();
                } else {
                    byte[] digest = sha.digest();
                    out.onNext(SnapshotResponse.newBuilder().setRemainingBytes(0)
                        .setBlob(ByteString.copyFrom(digest)).build());
                    LOG.atInfo().addKeyValue("total-bytes", totalBytes).addKeyValue("checksum-size", digest.length)
                        .log("sending database sha256 checksum to client");
                    out.onCompleted();
                    finish();
                    LOG.atInfo().addKeyValue("total-bytes", totalBytes)
                        .log("successfully sent database snapshot to client");
                }
            }
        } catch (IOException | RuntimeException e) {
            finish();
            out.onError(Status.UNKNOWN.withDescription("cairn: snapshot: " + e.getMessage()).asRuntimeException());
        }
    }

    /** The next chunk: image bytes from the spool file, then the zero padding. */
    private void sendChunk() throws IOException {
        int n = (int) Math.min(CHUNK_BYTES, totalBytes - sentBytes);
        ByteBuffer buf = ByteBuffer.allocate(n);
        buf.limit((int) Math.max(0, Math.min(n, imageBytes - sentBytes)));
        while (buf.hasRemaining()) {
            if (channel.read(buf, sentBytes + buf.position()) < 0) {
                throw new IOException("spool file shorter than " + imageBytes + " bytes");
            }
        }
        buf.limit(n).position(0);
        sha.update(buf.duplicate());
        sentBytes += buf.remaining();
        out.onNext(SnapshotResponse.newBuilder().setRemainingBytes(totalBytes - sentBytes)
            .setBlob(ByteString.copyFrom(buf)).build());
    }

    private synchronized void cancelled() {
        if (!finished) {
            LOG.atWarn().addKeyValue("sent-bytes", sentBytes).addKeyValue("total-bytes", totalBytes)
                .log("snapshot stream cancelled by client");
        }
        finish();
    }

    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        try {
            channel.close();
        } catch (IOException e) {
            LOG.atWarn().setCause(e).log("failed to close snapshot spool file");
        }
        deleteQuietly(spool);
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.atWarn().addKeyValue("path", file.toString()).setCause(e).log("failed to delete snapshot spool file");
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
