/**
 * Cairn's consensus core: a pure, deterministic Raft state machine in the style of etcd-raft's {@code RawNode}.
 * Owns elections, log replication, commitment, read-index and leadership transfer; may import only the JDK,
 * protobuf and its own wire messages ({@code io.cairn.raft.pb}). It never sees the WAL, mvcc, sockets or clocks.
 *
 * <h2>Who calls what</h2>
 * {@link io.cairn.raft.RaftNode} is not thread-safe: one loop in the server (its {@code RaftLoop}) owns it. Time
 * moves only through {@link io.cairn.raft.RaftNode#tick()}; the election timeout is randomized by the
 * {@link java.util.random.RandomGenerator} in {@link io.cairn.raft.RaftConfig}, so a seed replays a whole run.
 * Inputs are {@code tick()}, {@code step(message)} (from peers), {@code propose(bytes)},
 * {@code proposeConfChange(cc)}, {@code campaign()}, {@code readIndex(context)} and {@code transferLeadership(to)}.
 * Outputs are collected in a {@link io.cairn.raft.Ready}.
 *
 * <h2>The Ready loop</h2>
 * <pre>{@code
 * while (running) {
 *     // 1. feed inputs: node.tick() every tick interval, node.step(m) for each received message, proposals
 *     if (!node.hasReady()) continue;
 *     Ready rd = node.ready();
 *     // 2. persist: rd.snapshot() (if present), rd.entries() and rd.hardState() (if present) to the WAL and to
 *     //    the RaftStorage; fsync if rd.mustSync(). Entries may overwrite (truncate) a previously written tail.
 *     // 3. send rd.messages() to peers (only AFTER step 2: a vote or an append ack must not outrun the disk).
 *     //    A MsgSnap carries rd-independent snapshot data: report failures with node.reportSnapshot(...).
 *     // 4. apply rd.committedEntries() in order to the state machine; for a conf-change entry call
 *     //    node.applyConfChange(cc) and keep the returned ConfState with the applied state; answer
 *     //    rd.readStates() once the applied index reaches ReadState.index().
 *     node.advance(rd);   // 5. tell raft the Ready is done; the next ready() continues after it
 * }
 * }</pre>
 * {@code ready()} hands out each message, entry and committed entry exactly once; {@code advance(rd)} must be
 * called with that same Ready before the next {@code ready()}. The storage the node reads
 * ({@link io.cairn.raft.RaftStorage}) is read-only to raft: the server appends to it in step 2.
 *
 * <h2>Layout</h2>
 * {@code RaftNode} (public API) wraps {@code Raft} (state and shared transitions) whose per-role message handling
 * lives in {@code LeaderStep}, {@code FollowerStep} and {@code CandidateStep} (etcd keeps one 395-line
 * {@code stepLeader}; the house style caps methods at 60 lines). {@code RaftLog} = {@code UnstableLog} (not yet
 * persisted) + {@code RaftStorage} (persisted). {@code quorum} holds pure majority/joint arithmetic; {@code tracker}
 * holds per-follower {@code Progress} with flow control ({@code Inflights}); {@code confchange} computes the
 * membership after a change as a pure function on {@code ConfState} (simple changes and joint consensus).
 *
 * <h2>Membership changes</h2>
 * As in etcd, a change takes effect when the application applies its committed entry
 * ({@code RaftNode.applyConfChange}), not when it is appended, and a leader refuses a new change while an earlier one
 * may be unapplied. Joint consensus is etcd's {@code ConfChangeV2}: several operations (or an explicit joint
 * transition) enter {@code (new) && (old)}, where commits, elections and ReadIndex need both majorities; with the
 * automatic transitions the leader proposes the empty change that leaves it once it applied the joint entry (also a
 * new leader elected while joint), otherwise the application does; while joint, other changes are refused.
 *
 * <p>A leader that applies its own removal or demotion (raft thesis 4.2.2) does not step down at once (etcd's
 * {@code StepDownOnRemoval}): it refuses proposals and reads, keeps replicating, and hands leadership to the most
 * up-to-date voter (MsgTimeoutNow once that voter has its whole log, again on each heartbeat response). It steps
 * down when a newer term reaches it or when a quorum stops answering for an election timeout. Stepping down at
 * once can leave the others without a leader for good: if they never learned that the removal committed, they still
 * count the old leader as a voter, and it refuses them its vote while its log is longer. For the same reason a
 * member that is not a voter in its own applied config, asked for its vote by a candidate whose log is behind, runs
 * one election among the voters of its config (its own vote does not count; always pre-vote first, see below),
 * catches them up and hands over. The thesis instead makes configurations effective when appended; etcd's
 * apply-time rule is kept for compatibility.
 *
 * <p>Note for the server: its transport must drop every message from a member it has seen removed (an id of a
 * config it applied earlier that is in none of the voters, outgoing voters, learners or learners-next of the one
 * it applied last), as etcd does ({@code EtcdServer.Process} refuses senders that {@code RaftCluster.IsIDRemoved}
 * names, and rafthttp stops talking to removed peers). Raft accepts messages from anyone, and a removed member that
 * never learned of its removal campaigns for good with rising terms: its vote requests would push the members it
 * left behind past their leader's term, and without pre-vote or check-quorum a follower or learner ignores a
 * lower-term leader while nothing raises that leader's term, so it never catches up. The membership it filters by
 * must be durable: etcd keeps it in its backend as of the consistent index, so a restarted member filters from its
 * first message, and re-applying older entries (which etcd skips) never lists a removed id as a member again; a
 * member that fell back to its bootstrap membership until it re-applied its log would let those vote requests
 * through. Because of this filter the hand-over election above may be unwinnable (the members that applied the
 * removal no longer hear it); its pre-vote keeps it from raising anyone's term then.
 * {@code sim.SimNode#hasSeenRemoved} models the filter.
 *
 * <h2>Testing</h2>
 * Scenario tests run on the in-process {@code Network}; {@code sim.RaftSimulationTest} runs seeded whole-cluster
 * simulations with faults, crash/restart and membership changes (joint ones included), checking safety after every
 * step and liveness at the end. {@code interaction.InteractionTest} runs golden scripts
 * ({@code src/test/resources/interaction/*.txt}, etcd's datadriven style, raft's log lines included through an
 * injected {@link io.cairn.raft.RaftLogger}); {@code -Dcairn.raft.rewrite=true} regenerates their expected output.
 *
 * <h2>Errors</h2>
 * Expected outcomes are values ({@link io.cairn.raft.StepResult}: a proposal may be dropped). Storage gaps are typed
 * ({@link io.cairn.raft.CompactedException}, {@link io.cairn.raft.UnavailableException}). Broken invariants throw
 * {@link io.cairn.raft.RaftInvariantException} with the offending values: the node must stop.
 */
package io.cairn.raft;
