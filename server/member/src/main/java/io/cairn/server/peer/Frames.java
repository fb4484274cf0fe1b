package io.cairn.server.peer;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.cairn.raft.pb.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Builds outbound frames (header included) and reads the small payloads; layouts are in the package doc. */
final class Frames {
    /** Longest error text put on the wire; longer reasons are cut. */
    static final int MAX_REASON_CHARS = 1024;

    private Frames() {
    }

    /** A buffer holding the header of a frame of {@code payloadBytes}; the caller writes exactly that payload. */
    static ByteBuf start(ByteBufAllocator alloc, FrameType type, int payloadBytes) {
        ByteBuf buf = alloc.ioBuffer(FrameDecoder.HEADER_BYTES + payloadBytes);
        buf.writeInt(payloadBytes + 1);
        buf.writeByte(type.code);
        return buf;
    }

    /** A RAFT or SNAPSHOT frame; refuses a message above {@code maxFrameBytes} before allocating anything. */
    static ByteBuf message(ByteBufAllocator alloc, FrameType type, Message m, int maxFrameBytes) {
        int size = m.getSerializedSize();
        if (size > maxFrameBytes) {
            throw new PeerProtocolException(String.format("%s message to %x of %d bytes exceeds the frame limit "
                + "of %d bytes", m.getType(), m.getTo(), size, maxFrameBytes));
        }
        ByteBuf buf = start(alloc, type, size);
        try {
            ByteBuffer nio = buf.nioBuffer(buf.writerIndex(), size);
            CodedOutputStream out = CodedOutputStream.newInstance(nio);
            m.writeTo(out);
            out.checkNoSpaceLeft();
            buf.writerIndex(buf.writerIndex() + size);
            return buf;
        } catch (IOException e) {
            buf.release();
            throw new UncheckedIOException("encoding a raft message", e);
        }
    }

    static Message parseMessage(ByteBuf payload) {
        try {
            return Message.parseFrom(payload.nioBuffer());
        } catch (InvalidProtocolBufferException e) {
            throw new PeerProtocolException("undecodable raft message: " + e.getMessage());
        }
    }

    static ByteBuf accept(ByteBufAllocator alloc, long clusterId, long memberId) {
        return start(alloc, FrameType.ACCEPT, 20).writeInt(Hello.VERSION).writeLong(clusterId).writeLong(memberId);
    }

    static ByteBuf error(ByteBufAllocator alloc, String reason) {
        byte[] text = utf8(reason);
        return start(alloc, FrameType.ERROR, text.length).writeBytes(text);
    }

    static ByteBuf request(ByteBufAllocator alloc, long call, int method, byte[] body) {
        return start(alloc, FrameType.REQUEST, 12 + body.length).writeLong(call).writeInt(method).writeBytes(body);
    }

    /** A RESPONSE: status 0 and the body, or status 1 and the error text (also when the body is too large). */
    static ByteBuf response(ByteBufAllocator alloc, long call, byte[] body, String error, int maxFrameBytes) {
        byte[] payload = body == null ? new byte[0] : body;
        if (error == null && payload.length + 9 > maxFrameBytes) {
            error = String.format("response of %d bytes exceeds the frame limit of %d bytes", payload.length,
                maxFrameBytes);
        }
        if (error != null) {
            payload = utf8(error);
        }
        return start(alloc, FrameType.RESPONSE, 9 + payload.length).writeLong(call).writeByte(error == null ? 0 : 1)
            .writeBytes(payload);
    }

    static ByteBuf end(ByteBufAllocator alloc, long imageBytes) {
        return start(alloc, FrameType.END, 8).writeLong(imageBytes);
    }

    /** A SNAPSHOT_ACK: status 0 (saved) or 1 and the failure text. */
    static ByteBuf snapshotAck(ByteBufAllocator alloc, String failure) {
        byte[] text = failure == null ? new byte[0] : utf8(failure);
        return start(alloc, FrameType.SNAPSHOT_ACK, 1 + text.length).writeByte(failure == null ? 0 : 1)
            .writeBytes(text);
    }

    /** The failure a SNAPSHOT_ACK carries; empty for success. */
    static Optional<String> readAck(ByteBuf payload) {
        need(payload, 1, FrameType.SNAPSHOT_ACK);
        return payload.readByte() == 0 ? Optional.empty() : Optional.of(text(payload));
    }

    static void need(ByteBuf payload, int bytes, FrameType type) {
        if (payload.readableBytes() < bytes) {
            throw new PeerProtocolException(String.format("%s frame of %d bytes, expected at least %d", type,
                payload.readableBytes(), bytes));
        }
    }

    static String text(ByteBuf payload) {
        return new String(ByteBufUtil.getBytes(payload), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s) {
        String cut = s.length() > MAX_REASON_CHARS ? s.substring(0, MAX_REASON_CHARS) : s;
        return cut.getBytes(StandardCharsets.UTF_8);
    }
}
