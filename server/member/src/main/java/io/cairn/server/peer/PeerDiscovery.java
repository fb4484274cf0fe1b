package io.cairn.server.peer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The joining side of the DISCOVER handshake (etcd's {@code GetClusterFromRemotePeers}): a member started with
 * {@code --initial-cluster-state existing} has no cluster ID and no member ID yet; it asks the running members at
 * their peer URLs, one after the other, for their view of the membership (whatever {@link Inbound#membership}
 * encodes). Blocking sockets ({@link PeerSecurity#connect}: TLS for https:// URLs): it runs once, before anything
 * else of the member starts.
 */
public final class PeerDiscovery {
    private PeerDiscovery() {
    }

    /**
     * Asks the members at {@code urls} in turn and returns the first answer.
     *
     * @throws UncheckedIOException naming every URL's failure when none answered
     */
    public static byte[] ask(List<URI> urls, Duration timeout, int maxFrameBytes, PeerSecurity security) {
        List<String> failures = new ArrayList<>();
        for (URI url : urls) {
            try {
                return askOne(url, timeout, maxFrameBytes, security);
            } catch (IOException | PeerProtocolException e) {
                failures.add(url + ": " + e.getMessage());
            }
        }
        throw new UncheckedIOException(new IOException("could not retrieve cluster information from the given "
            + "URLs: " + String.join("; ", failures)));
    }

    private static byte[] askOne(URI url, Duration timeout, int maxFrameBytes, PeerSecurity security)
        throws IOException {
        if (!security.dials(url.getScheme())) {
            throw new IOException("unsupported peer URL scheme " + url.getScheme() + " (https:// needs peer TLS: "
                + "--peer-cert-file and --peer-key-file, or --peer-auto-tls)");
        }
        try (Socket s = security.connect(url, timeout)) {
            ByteBuf hello = new Hello(Hello.VERSION, 0, 0, 0, Hello.Purpose.DISCOVER)
                .encode(UnpooledByteBufAllocator.DEFAULT);
            try {
                s.getOutputStream().write(ByteBufUtil.getBytes(hello));
            } finally {
                hello.release();
            }
            DataInputStream in = new DataInputStream(s.getInputStream());
            long length = Integer.toUnsignedLong(in.readInt());
            if (length < 1 || length - 1 > maxFrameBytes) {
                throw new PeerProtocolException("bad frame length " + length);
            }
            int type = in.readUnsignedByte();
            byte[] payload = in.readNBytes((int) length - 1);
            if (type == FrameType.MEMBERS.code) {
                return payload;
            }
            if (type == FrameType.ERROR.code) {
                throw new IOException("refused: " + new String(payload, StandardCharsets.UTF_8));
            }
            throw new PeerProtocolException("unexpected frame type " + type + " in answer to DISCOVER");
        }
    }
}
