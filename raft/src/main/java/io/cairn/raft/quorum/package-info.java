/**
 * Pure quorum arithmetic (etcd {@code quorum/}): which index a majority has acknowledged and who won an election,
 * for a single majority configuration and for a joint one (two majorities, both must agree). Imports only the JDK.
 */
package io.cairn.raft.quorum;
