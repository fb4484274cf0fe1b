package io.cairn.raft;

/** Volatile state worth reporting but never persisted: the known leader (0 = none) and this node's role. */
public record SoftState(long leaderId, StateRole role) {
}
