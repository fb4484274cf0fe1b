/**
 * Membership changes as pure functions on {@link io.cairn.raft.pb.ConfState} (etcd {@code confchange.Changer}). Owns
 * the rules of a change; imports only the JDK, protobuf and the wire messages. Raft applies the result.
 *
 * <p>Simple changes (raft thesis 4.1) change at most one voter; joint consensus (thesis 4.3) enters
 * {@code (new voters) && (old voters)}, where commits and elections need both majorities, and leaves it with an
 * empty {@code ConfChangeV2}. A voter demoted while joint waits in {@code learners_next}. Error messages are
 * etcd's; {@code ChangerTest} holds etcd's confchange/testdata scripts as tables.
 */
package io.cairn.raft.confchange;
