package io.cairn.raft.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Quorum arithmetic against naive implementations (etcd quorum/quick_test.go), seeded; the seed is printed. */
class QuorumTest {
    private static final long SEED = 20261121L;

    /** The largest index i such that a majority acked >= i, by brute force. */
    static long naiveCommitted(MajorityConfig config, Map<Long, Long> acked) {
        if (config.isEmpty()) {
            return Long.MAX_VALUE;
        }
        long best = 0;
        for (long candidate : acked.values()) {
            int count = 0;
            for (long id : config.voters()) {
                if (acked.getOrDefault(id, 0L) >= candidate) {
                    count++;
                }
            }
            if (count > config.size() / 2) {
                best = Math.max(best, candidate);
            }
        }
        return best;
    }

    @Test
    void committedIndexMatchesNaiveVersion() {
        System.out.println("QuorumTest seed=" + SEED);
        SplittableRandom random = new SplittableRandom(SEED);
        for (int round = 0; round < 2000; round++) {
            List<Long> ids = new ArrayList<>();
            int n = random.nextInt(8);
            for (long id = 1; id <= n; id++) {
                ids.add(id);
            }
            MajorityConfig config = new MajorityConfig(ids);
            Map<Long, Long> acked = new HashMap<>();
            for (long id : ids) {
                if (random.nextInt(4) != 0) {
                    acked.put(id, (long) random.nextInt(10));
                }
            }
            long got = config.committedIndex(id -> acked.containsKey(id) ? OptionalLong.of(acked.get(id))
                : OptionalLong.empty());
            assertThat(got).as("seed %d round %d config %s acked %s", SEED, round, config, acked)
                .isEqualTo(naiveCommitted(config, acked));
        }
    }

    @Test
    void jointCommittedIndexIsMinimumOfHalves() {
        JointConfig joint = new JointConfig(MajorityConfig.of(1, 2, 3), MajorityConfig.of(3, 4, 5));
        Map<Long, Long> acked = Map.of(1L, 10L, 2L, 9L, 3L, 8L, 4L, 2L, 5L, 1L);
        AckedIndexer indexer = id -> OptionalLong.of(acked.getOrDefault(id, 0L));
        assertThat(joint.committedIndex(indexer)).isEqualTo(2);
        assertThat(JointConfig.simple(MajorityConfig.of(1, 2, 3)).committedIndex(indexer)).isEqualTo(9);
    }

    @Test
    void voteResults() {
        MajorityConfig three = MajorityConfig.of(1, 2, 3);
        assertThat(three.voteResult(Map.of())).isEqualTo(VoteResult.PENDING);
        assertThat(three.voteResult(Map.of(1L, true))).isEqualTo(VoteResult.PENDING);
        assertThat(three.voteResult(Map.of(1L, true, 2L, true))).isEqualTo(VoteResult.WON);
        assertThat(three.voteResult(Map.of(1L, false, 2L, false))).isEqualTo(VoteResult.LOST);
        assertThat(three.voteResult(Map.of(1L, true, 2L, false))).isEqualTo(VoteResult.PENDING);
        assertThat(three.voteResult(Map.of(7L, true, 8L, true))).isEqualTo(VoteResult.PENDING);
        assertThat(MajorityConfig.empty().voteResult(Map.of())).isEqualTo(VoteResult.WON);

        JointConfig joint = new JointConfig(three, MajorityConfig.of(3, 4, 5));
        assertThat(joint.voteResult(Map.of(1L, true, 2L, true))).isEqualTo(VoteResult.PENDING);
        assertThat(joint.voteResult(Map.of(1L, true, 2L, true, 4L, false, 5L, false))).isEqualTo(VoteResult.LOST);
        assertThat(joint.voteResult(Map.of(1L, true, 3L, true, 4L, true))).isEqualTo(VoteResult.WON);
    }
}
