/**
 * Membership changes as pure functions on {@link io.cairn.raft.pb.ConfState} (etcd {@code confchange.Changer}). Owns
 * the rules of a change; imports only the JDK, protobuf and the wire messages. Raft applies the result.
 *
 * <p>Only the simple path exists so far: one voter added, removed, promoted or demoted at a time, any number of
 * learners (raft thesis 4.1). Joint consensus (entering/leaving a joint configuration, {@code ConfChangeV2} with
 * several changes or an explicit transition) is refused with a {@link io.cairn.raft.confchange.ConfChangeException}.
 */
package io.cairn.raft.confchange;
