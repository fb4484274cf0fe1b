package io.cairn.raft.quorum;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/** A set of voters decided by simple majority (etcd {@code MajorityConfig}). Immutable. */
public final class MajorityConfig {
    private static final MajorityConfig EMPTY = new MajorityConfig(Collections.emptySet());
    private final SortedSet<Long> voters;

    public MajorityConfig(Collection<Long> voters) {
        this.voters = Collections.unmodifiableSortedSet(new TreeSet<>(voters));
    }

    public static MajorityConfig empty() {
        return EMPTY;
    }

    public static MajorityConfig of(long... ids) {
        return new MajorityConfig(Arrays.stream(ids).boxed().toList());
    }

    /** The voters in ascending order (unmodifiable). */
    public SortedSet<Long> voters() {
        return voters;
    }

    public boolean contains(long id) {
        return voters.contains(id);
    }

    public int size() {
        return voters.size();
    }

    public boolean isEmpty() {
        return voters.isEmpty();
    }

    /**
     * The largest index acknowledged by a majority: sort the acked indexes (unknown = 0) ascending and take the one
     * at position {@code n - (n/2 + 1)}. An empty config returns {@link Long#MAX_VALUE} so it never restricts a
     * joint configuration.
     */
    public long committedIndex(AckedIndexer indexer) {
        int n = voters.size();
        if (n == 0) {
            return Long.MAX_VALUE;
        }
        long[] acked = new long[n];
        int i = 0;
        for (long id : voters) {
            acked[i++] = indexer.ackedIndex(id).orElse(0);
        }
        Arrays.sort(acked);
        return acked[n - (n / 2 + 1)];
    }

    /**
     * Counts {@code votes} (true = granted) of the voters; votes of non-voters are ignored. An empty config wins
     * (it never blocks a joint configuration).
     */
    public VoteResult voteResult(Map<Long, Boolean> votes) {
        if (voters.isEmpty()) {
            return VoteResult.WON;
        }
        int granted = 0;
        int missing = 0;
        for (long id : voters) {
            Boolean vote = votes.get(id);
            if (vote == null) {
                missing++;
            } else if (vote) {
                granted++;
            }
        }
        int quorum = voters.size() / 2 + 1;
        if (granted >= quorum) {
            return VoteResult.WON;
        }
        if (granted + missing >= quorum) {
            return VoteResult.PENDING;
        }
        return VoteResult.LOST;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MajorityConfig that && voters.equals(that.voters);
    }

    @Override
    public int hashCode() {
        return voters.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("(");
        for (long id : voters) {
            text.append(text.length() > 1 ? " " : "").append(id);
        }
        return text.append(')').toString();
    }
}
