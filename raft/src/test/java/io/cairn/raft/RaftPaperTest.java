package io.cairn.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.raft.pb.Entry;
import io.cairn.raft.pb.HardState;
import io.cairn.raft.pb.Message;
import io.cairn.raft.pb.MessageType;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Scenarios from the Raft paper (Ongaro and Ousterhout, "In Search of an Understandable Consensus Algorithm"). */
class RaftPaperTest {

    static List<Entry> entries(long... terms) {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < terms.length; i++) {
            out.add(Entry.newBuilder().setIndex(i + 1).setTerm(terms[i]).build());
        }
        return out;
    }

    static MemoryRaftStorage storage(List<Entry> log, long term, long commit, long... voters) {
        MemoryRaftStorage storage = MemoryRaftStorage.withVoters(voters);
        storage.append(log);
        storage.setHardState(HardState.newBuilder().setTerm(term).setCommit(commit).build());
        return storage;
    }

    static RaftConfig config(long id) {
        return RaftConfig.defaults(id, new SplittableRandom(id)).withPreVote(false).withCheckQuorum(false);
    }

    /**
     * Reference: section 5.4.2, figure 8. A leader never commits an entry from a previous term by counting
     * replicas; it commits it only indirectly, once an entry of its own term is replicated to a majority.
     */
    @Test
    void figure8LeaderOnlyCommitsEntriesFromItsOwnTermByCounting() {
        RaftNode leader = new RaftNode(config(1), storage(entries(1, 2), 2, 0, 1, 2, 3));
        leader.campaign();
        Raft r = leader.raft();
        leader.step(voteResp(2, 1, 3));
        assertThat(r.role.state).isEqualTo(StateRole.LEADER);
        assertThat(r.role.term).isEqualTo(3);
        assertThat(r.log.lastIndex()).isEqualTo(3);

        // Entry 2 (term 2) is now on a majority (leader + node 2) but is from an older term: no commit.
        leader.step(appResp(2, 1, 3, 2));
        assertThat(r.log.committed()).isZero();

        // Entry 3 (term 3, the leader's empty entry) on a majority commits it and, by the log matching
        // property, everything before it.
        leader.step(appResp(2, 1, 3, 3));
        assertThat(r.log.committed()).isEqualTo(3);
    }

    static Stream<Arguments> figure7Followers() {
        return Stream.of(
            Arguments.of("a", entries(1, 1, 1, 4, 4, 5, 5, 6, 6)),
            Arguments.of("b", entries(1, 1, 1, 4)),
            Arguments.of("c", entries(1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6)),
            Arguments.of("d", entries(1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7)),
            Arguments.of("e", entries(1, 1, 1, 4, 4, 4, 4)),
            Arguments.of("f", entries(1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3)));
    }

    /**
     * Reference: section 5.3, figure 7. Whatever the follower's log (missing, extra or conflicting entries), the
     * leader makes it identical to its own by backing up {@code next} and overwriting conflicts.
     */
    @ParameterizedTest(name = "follower {0}")
    @MethodSource("figure7Followers")
    void figure7LeaderBringsEveryFollowerLogInSync(String name, List<Entry> followerLog) {
        long term = 8;
        Network net = new Network();
        net.add(config(1), storage(entries(1, 1, 1, 4, 4, 5, 5, 6, 6, 6), term, 10, 1, 2, 3));
        net.add(config(2), storage(followerLog, term - 1, 0, 1, 2, 3));
        net.add(config(3), MemoryRaftStorage.withVoters(1, 2, 3));
        net.blackHole(3);
        net.campaign(1);
        // The follower may have a more up-to-date log and refuse; node 3 grants the vote.
        net.send(Message.newBuilder().setType(MessageType.MsgVoteResp).setFrom(3).setTo(1).setTerm(term + 1)
            .build());
        assertThat(net.leader()).isEqualTo(1);
        net.propose(1, "x");
        assertThat(net.logOf(2)).isEqualTo(net.logOf(1));
    }

    /** Reference: section 5.2. A candidate that receives votes from a majority becomes leader of its term. */
    @Test
    void candidateWithMajorityBecomesLeader() {
        Network net = Network.of(7, false, false, 1, 2, 3, 4, 5);
        net.blackHole(4);
        net.blackHole(5);
        net.campaign(1);
        assertThat(net.raft(1).role.state).isEqualTo(StateRole.LEADER);
        assertThat(net.raft(1).role.term).isEqualTo(1);
        assertThat(net.raft(2).role.lead).isEqualTo(1);
    }

    /** Reference: section 5.2. Each server votes for at most one candidate per term, first come first served. */
    @Test
    void followerVotesOncePerTerm() {
        RaftNode follower = new RaftNode(config(1), MemoryRaftStorage.withVoters(1, 2, 3));
        follower.step(vote(2, 1, 1));
        follower.step(vote(3, 1, 1));
        List<Message> out = follower.ready().messages();
        assertThat(out).extracting(Message::getTo, Message::getReject)
            .containsExactly(org.assertj.core.groups.Tuple.tuple(2L, false),
                org.assertj.core.groups.Tuple.tuple(3L, true));
    }

    /** Reference: section 5.4.1. A voter denies its vote if its own log is more up-to-date than the candidate's. */
    @Test
    void voterRejectsCandidateWithStaleLog() {
        RaftNode voter = new RaftNode(config(1), storage(entries(1, 2), 2, 0, 1, 2, 3));
        voter.step(vote(2, 1, 3).toBuilder().setIndex(5).setLogTerm(1).build());
        voter.step(vote(3, 1, 4).toBuilder().setIndex(2).setLogTerm(2).build());
        List<Message> out = voter.ready().messages();
        assertThat(out).extracting(Message::getReject).containsExactly(true, false);
    }

    /** Reference: section 5.1. A server seeing a higher term adopts it and reverts to follower. */
    @Test
    void leaderStepsDownOnHigherTerm() {
        Network net = Network.of(3, false, false, 1, 2, 3);
        net.campaign(1);
        net.send(Message.newBuilder().setType(MessageType.MsgApp).setFrom(2).setTo(1).setTerm(5).build());
        assertThat(net.raft(1).role.state).isEqualTo(StateRole.FOLLOWER);
        assertThat(net.raft(1).role.term).isEqualTo(5);
    }

    static Message voteResp(long from, long to, long term) {
        return Message.newBuilder().setType(MessageType.MsgVoteResp).setFrom(from).setTo(to).setTerm(term).build();
    }

    static Message appResp(long from, long to, long term, long index) {
        return Message.newBuilder().setType(MessageType.MsgAppResp).setFrom(from).setTo(to).setTerm(term)
            .setIndex(index).build();
    }

    static Message vote(long from, long to, long term) {
        return Message.newBuilder().setType(MessageType.MsgVote).setFrom(from).setTo(to).setTerm(term).build();
    }
}
