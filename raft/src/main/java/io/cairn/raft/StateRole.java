package io.cairn.raft;

/** A node's role (etcd {@code StateType}). */
public enum StateRole {
    FOLLOWER, CANDIDATE, LEADER, PRE_CANDIDATE
}
