package io.cairn.raft;

import com.google.protobuf.ByteString;

/**
 * The answer to {@link RaftNode#readIndex(byte[])}: once the applied index reaches {@code index}, a read of the
 * state machine is linearizable. {@code requestContext} identifies the request.
 */
public record ReadState(long index, ByteString requestContext) {
}
