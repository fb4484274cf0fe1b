package io.cairn.server.peer;

import static io.cairn.server.peer.PeerFixture.CLUSTER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cairn.raft.pb.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The frame layer, the handshake rules and the small pieces, plus a raw socket speaking the format by hand. */
class PeerWireTest {
    private static final int MAX = PeerLimits.DEFAULTS.maxFrameBytes();
    private final PeerFixture fixture = new PeerFixture();

    @AfterEach
    void closeAll() {
        fixture.close();
    }

    @Test
    void framesSplitAcrossReadsDecodeWhole() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(MAX));
        ByteBuf wire = Unpooled.wrappedBuffer(Frames.error(UnpooledByteBufAllocator.DEFAULT, "first"),
            Frames.end(UnpooledByteBufAllocator.DEFAULT, 42));
        while (wire.isReadable()) {
            ch.writeInbound(wire.readRetainedSlice(Math.min(3, wire.readableBytes())));
        }
        wire.release();
        Frame first = ch.readInbound();
        Frame second = ch.readInbound();
        assertThat(first.type()).isEqualTo(FrameType.ERROR);
        assertThat(Frames.text(first.payload())).isEqualTo("first");
        assertThat(second.type()).isEqualTo(FrameType.END);
        assertThat(second.payload().readLong()).isEqualTo(42);
        first.release();
        second.release();
        assertThat((Object) ch.readInbound()).isNull();
    }

    @Test
    void anOversizedFrameIsRefusedFromItsHeader() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(1024));
        ByteBuf header = Unpooled.buffer().writeInt(1026).writeByte(FrameType.CHUNK.code);
        assertThatThrownBy(() -> ch.writeInbound(header)).isInstanceOf(DecoderException.class)
            .cause().hasMessage("frame of 1025 bytes exceeds the limit of 1024 bytes");
        ch.writeInbound(Unpooled.buffer().writeInt(2).writeByte(FrameType.END.code).writeByte(0));
        assertThat((Object) ch.readInbound()).as("nothing decodes after a refused frame").isNull();
    }

    @Test
    void anUnknownFrameTypeIsRefused() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(MAX));
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.buffer().writeInt(1).writeByte(99)))
            .cause().hasMessage("unknown frame type 99");
    }

    static Stream<Arguments> hellos() {
        return Stream.of(
            Arguments.of(new Hello(Hello.VERSION, CLUSTER, 1, 2, Hello.Purpose.STREAM), null),
            Arguments.of(new Hello(Hello.VERSION, 0xc2, 1, 2, Hello.Purpose.STREAM),
                "cluster ID mismatch: local=c1 remote=c2"),
            Arguments.of(new Hello(Hello.VERSION, CLUSTER, 1, 3, Hello.Purpose.SNAPSHOT),
                "member ID mismatch: local=2, the sender 1 meant 3"),
            Arguments.of(new Hello(Hello.VERSION, CLUSTER, 0xdead, 2, Hello.Purpose.STREAM),
                "member dead was removed from the cluster"),
            Arguments.of(new Hello(Hello.VERSION, CLUSTER, 7, 2, Hello.Purpose.STREAM),
                "member 7 is not a member of cluster c1 (not added, or this member has not applied its addition yet)"),
            Arguments.of(new Hello(Hello.VERSION, 0, 0, 0, Hello.Purpose.DISCOVER), null),
            Arguments.of(new Hello(9, CLUSTER, 1, 2, Hello.Purpose.STREAM),
                "unsupported peer protocol version 9 (local=1)"));
    }

    @ParameterizedTest
    @MethodSource("hellos")
    void helloRefusals(Hello hello, String reason) {
        ByteBuf wire = hello.encode(UnpooledByteBufAllocator.DEFAULT);
        assertThat(wire.readInt()).isEqualTo(1 + Hello.BYTES);
        assertThat(wire.readByte()).isEqualTo((byte) FrameType.HELLO.code);
        Hello decoded = Hello.decode(wire);
        wire.release();
        assertThat(decoded).isEqualTo(hello);
        assertThat(decoded.refusal(2, CLUSTER, id -> id == 0xdead, id -> id != 7))
            .isEqualTo(Optional.ofNullable(reason));
    }

    @Test
    void backoffDoublesWithJitterUpToItsCapAndResets() {
        Backoff b = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(1), new SplittableRandom(7));
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            delays.add(b.nextDelayMillis());
        }
        long[] caps = {50, 100, 200, 400, 800, 1000, 1000, 1000};
        for (int i = 0; i < caps.length; i++) {
            assertThat(delays.get(i)).as("attempt %d", i).isBetween(caps[i] / 2, caps[i]);
        }
        b.reset();
        assertThat(b.nextDelayMillis()).isBetween(25L, 50L);
    }

    @Test
    void aShortImageFailsTheReaderInsteadOfEndingIt() throws IOException {
        List<Boolean> autoRead = new ArrayList<>();
        ChunkInputStream in = new ChunkInputStream(4, 2, Duration.ofSeconds(5).toNanos(), autoRead::add);
        in.offer(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
        in.offer(Unpooled.wrappedBuffer(new byte[] {4, 5}));
        assertThat(autoRead).containsExactly(false);
        in.end(6);
        assertThat(in.readNBytes(4)).containsExactly(1, 2, 3, 4);
        assertThat(autoRead).containsExactly(false, true);
        assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class)
            .hasMessage("snapshot image truncated: read 5 of 6 bytes");
        in.close();
    }

    @Test
    void aRawClientSeesTheFormatAndMisaddressedMessagesAreDropped() throws IOException {
        PeerRecorder rb = new PeerRecorder();
        PeerTransport b = fixture.start(2, rb);
        try (Socket s = new Socket("127.0.0.1", b.boundAddresses().get(0).getPort())) {
            s.setSoTimeout(10_000);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            DataInputStream in = new DataInputStream(s.getInputStream());
            out.writeInt(1 + 29);
            out.writeByte(1);
            out.writeInt(1);
            out.writeLong(CLUSTER);
            out.writeLong(7);
            out.writeLong(2);
            out.writeByte(0);
            RawFrame accept = readFrame(in);
            assertThat(accept.type()).isEqualTo(2);
            assertThat(accept.payload()).isEqualTo(ByteBuffer.allocate(20).putInt(Hello.VERSION).putLong(CLUSTER)
                .putLong(2).array());
            raft(out, PeerFixture.app(7, 5, 1));
            raft(out, PeerFixture.app(7, 2, 2));
            out.writeInt(MAX + 2);
            out.writeByte(4);
            out.flush();
            RawFrame error = readFrame(in);
            assertThat(error.type()).isEqualTo(3);
            assertThat(new String(error.payload(), StandardCharsets.UTF_8))
                .isEqualTo("frame of 67108865 bytes exceeds the limit of 67108864 bytes");
            assertThatThrownBy(() -> readFrame(in)).isInstanceOf(EOFException.class);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> rb.received.size() == 1);
        assertThat(rb.received.peek().getIndex()).isEqualTo(2);
        assertThat(b.droppedMisaddressed()).isEqualTo(1);
    }

    @Test
    void aJoiningMemberDiscoversTheMembershipWithoutKnowingTheClusterId() {
        PeerTransport b = fixture.start(2, new PeerRecorder());
        URI dead = PeerFixture.url(PeerFixture.freePort());
        assertThat(PeerDiscovery.ask(List.of(dead, PeerFixture.url(b)), Duration.ofSeconds(5), MAX,
            PeerSecurity.PLAINTEXT)).isEqualTo(PeerRecorder.MEMBERSHIP);
        assertThatThrownBy(() -> PeerDiscovery.ask(List.of(dead), Duration.ofSeconds(5), MAX,
            PeerSecurity.PLAINTEXT))
            .isInstanceOf(java.io.UncheckedIOException.class)
            .hasMessageContaining("could not retrieve cluster information from the given URLs").hasMessageContaining(
                dead.toString());
    }

    private record RawFrame(int type, byte[] payload) {
    }

    private static void raft(DataOutputStream out, Message m) throws IOException {
        byte[] body = m.toByteArray();
        out.writeInt(1 + body.length);
        out.writeByte(4);
        out.write(body);
    }

    private static RawFrame readFrame(DataInputStream in) throws IOException {
        int length = in.readInt();
        int type = in.readUnsignedByte();
        byte[] payload = in.readNBytes(length - 1);
        return new RawFrame(type, payload);
    }
}
