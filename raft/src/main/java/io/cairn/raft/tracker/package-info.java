/**
 * What a leader knows about each peer (etcd {@code tracker/}): {@link io.cairn.raft.tracker.Progress} with its
 * probe/replicate/snapshot state and flow control ({@link io.cairn.raft.tracker.Inflights}: appends in flight by
 * count and by payload bytes), and the
 * {@link io.cairn.raft.tracker.ProgressTracker} tying progress and votes to the membership. Imports the JDK and
 * {@code io.cairn.raft.quorum}.
 */
package io.cairn.raft.tracker;
