package io.cairn.server.peer;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the byte stream into {@link Frame}s: {@code length:u32 type:u8 payload}, where length counts the type
 * byte and the payload. A payload above {@code maxFrameBytes} is refused as soon as its length is read (nothing
 * of it is buffered): the decoder raises a {@link PeerProtocolException} and discards everything after it.
 */
final class FrameDecoder extends ByteToMessageDecoder {
    static final int HEADER_BYTES = 5;

    private final int maxFrameBytes;
    private boolean failed;

    FrameDecoder(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < HEADER_BYTES) {
            return;
        }
        long length = in.getUnsignedInt(in.readerIndex());
        if (length < 1) {
            throw fail(in, "frame without a type byte");
        }
        if (length - 1 > maxFrameBytes) {
            throw fail(in, String.format("frame of %d bytes exceeds the limit of %d bytes", length - 1,
                maxFrameBytes));
        }
        if (in.readableBytes() < 4 + length) {
            return;
        }
        FrameType type;
        try {
            type = FrameType.of(in.getUnsignedByte(in.readerIndex() + 4));
        } catch (PeerProtocolException e) {
            throw fail(in, e.getMessage());
        }
        in.skipBytes(HEADER_BYTES);
        out.add(new Frame(type, in.readRetainedSlice((int) length - 1)));
    }

    private PeerProtocolException fail(ByteBuf in, String message) {
        failed = true;
        in.skipBytes(in.readableBytes());
        return new PeerProtocolException(message);
    }
}
