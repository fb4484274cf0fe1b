package io.cairn.server.peer;

import io.netty.buffer.ByteBuf;

/** One decoded frame; whoever handles it releases {@code payload} (a retained slice of the read buffer). */
record Frame(FrameType type, ByteBuf payload) {
    void release() {
        payload.release();
    }
}
