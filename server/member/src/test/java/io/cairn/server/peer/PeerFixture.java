package io.cairn.server.peer;

import io.cairn.raft.pb.Message;
import io.cairn.raft.pb.MessageType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Starts transports on 127.0.0.1 for tests and closes them all afterwards. */
final class PeerFixture implements AutoCloseable {
    static final long CLUSTER = 0xc1;

    private final List<PeerTransport> open = new ArrayList<>();

    PeerTransport start(long id, PeerRecorder r) {
        return start(id, r, 0, s -> s);
    }

    /** A transport for member {@code id} on {@code port} (0: ephemeral), settings adjusted by {@code tweak}. */
    PeerTransport start(long id, PeerRecorder r, int port, UnaryOperator<PeerSettings> tweak) {
        PeerSettings s = PeerSettings.of(id, CLUSTER, List.of(new InetSocketAddress("127.0.0.1", port)),
            peer -> r.removed.test(peer), r, r, r).withListener(r);
        PeerTransport t = PeerTransport.open(tweak.apply(s));
        open.add(t);
        return t;
    }

    static URI url(PeerTransport t) {
        return url(t.boundAddresses().get(0).getPort());
    }

    static URI url(int port) {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** A port nothing listens on right now (bound once and released). */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Message app(long from, long to, long index) {
        return Message.newBuilder().setType(MessageType.MsgApp).setFrom(from).setTo(to).setTerm(1).setIndex(index)
            .build();
    }

    static List<Message> apps(long from, long to, long firstIndex, int count) {
        List<Message> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(app(from, to, firstIndex + i));
        }
        return out;
    }

    static List<Long> range(long first, int count) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(first + i);
        }
        return out;
    }

    @Override
    public void close() {
        open.forEach(PeerTransport::close);
        open.clear();
    }
}
