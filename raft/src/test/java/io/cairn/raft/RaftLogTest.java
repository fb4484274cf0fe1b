package io.cairn.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.raft.pb.Entry;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table tests for {@link RaftLog}, rows after etcd's log_test.go. */
class RaftLogTest {

    /** Entries with the given (index, term) pairs. */
    static List<Entry> ents(long... indexTerm) {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < indexTerm.length; i += 2) {
            out.add(Entry.newBuilder().setIndex(indexTerm[i]).setTerm(indexTerm[i + 1]).build());
        }
        return out;
    }

    static RaftLog logWith(List<Entry> entries) {
        RaftLog log = new RaftLog(new MemoryRaftStorage(), Long.MAX_VALUE);
        log.append(entries);
        return log;
    }

    static Stream<Arguments> findConflictRows() {
        return Stream.of(
            Arguments.of(ents(), 0L),
            Arguments.of(ents(1, 1, 2, 2, 3, 3), 0L),
            Arguments.of(ents(2, 2, 3, 3), 0L),
            Arguments.of(ents(3, 3), 0L),
            Arguments.of(ents(1, 1, 2, 2, 3, 3, 4, 4, 5, 4), 4L),
            Arguments.of(ents(2, 2, 3, 3, 4, 4, 5, 4), 4L),
            Arguments.of(ents(4, 4, 5, 4), 4L),
            Arguments.of(ents(1, 4, 2, 4), 1L),
            Arguments.of(ents(2, 1, 3, 4, 4, 4), 2L),
            Arguments.of(ents(3, 1, 4, 2, 5, 4, 6, 4), 3L));
    }

    @ParameterizedTest
    @MethodSource("findConflictRows")
    void findConflict(List<Entry> incoming, long expected) {
        RaftLog log = logWith(ents(1, 1, 2, 2, 3, 3));
        assertThat(log.findConflict(incoming)).isEqualTo(expected);
    }

    /** Rows: index, logTerm, committed, entries -> lastNewIndex (-1 = rejected), commit, conflict index. */
    static Stream<Arguments> maybeAppendRows() {
        return Stream.of(
            // previous entry mismatch or missing
            Arguments.of(3L, 2L, 3L, ents(4, 4), -1L, 1L, 0L),
            Arguments.of(4L, 3L, 3L, ents(5, 4), -1L, 1L, 0L),
            // match with the last entry
            Arguments.of(3L, 3L, 3L, ents(), 3L, 3L, 0L),
            Arguments.of(3L, 3L, 4L, ents(), 3L, 3L, 0L),
            Arguments.of(3L, 3L, 2L, ents(), 3L, 2L, 0L),
            Arguments.of(3L, 3L, 0L, ents(), 3L, 1L, 0L),
            Arguments.of(3L, 3L, 3L, ents(4, 4), 4L, 3L, 0L),
            Arguments.of(3L, 3L, 4L, ents(4, 4), 4L, 4L, 0L),
            Arguments.of(3L, 3L, 5L, ents(4, 4), 4L, 4L, 0L),
            Arguments.of(3L, 3L, 5L, ents(4, 4, 5, 4), 5L, 5L, 0L),
            // match with an entry in the middle
            Arguments.of(2L, 2L, 3L, ents(3, 4), 3L, 3L, 3L),
            Arguments.of(1L, 1L, 3L, ents(2, 4), 2L, 2L, 2L),
            Arguments.of(1L, 1L, 4L, ents(2, 3, 3, 3), 3L, 3L, 0L));
    }

    @ParameterizedTest
    @MethodSource("maybeAppendRows")
    void maybeAppend(long index, long logTerm, long committed, List<Entry> entries, long wantLast,
        long wantCommit, long wantConflictTruncatedAt) {
        RaftLog log = logWith(ents(1, 1, 2, 2, 3, 3));
        log.commitTo(1);
        long last = log.maybeAppend(index, logTerm, committed, entries);
        assertThat(last).isEqualTo(wantLast);
        assertThat(log.committed()).isEqualTo(wantCommit);
        if (last >= 0 && !entries.isEmpty()) {
            assertThat(log.slice(index + 1, last + 1, Long.MAX_VALUE)).isEqualTo(entries);
        }
        if (wantConflictTruncatedAt > 0) {
            assertThat(log.lastIndex()).isEqualTo(last);
        }
    }

    @Test
    void maybeAppendRefusesToOverwriteCommittedEntries() {
        RaftLog log = logWith(ents(1, 1, 2, 2, 3, 3));
        log.commitTo(3);
        assertThatThrownBy(() -> log.maybeAppend(0, 0, 3, ents(1, 4)))
            .isInstanceOf(RaftInvariantException.class).hasMessageContaining("conflict with committed entry");
    }

    static Stream<Arguments> isUpToDateRows() {
        return Stream.of(
            Arguments.of(2L, 4L, true), Arguments.of(3L, 4L, true), Arguments.of(4L, 4L, true),
            Arguments.of(2L, 2L, false), Arguments.of(3L, 2L, false), Arguments.of(4L, 2L, false),
            Arguments.of(2L, 3L, false), Arguments.of(3L, 3L, true), Arguments.of(4L, 3L, true));
    }

    /** Raft paper 5.4.1: compare last terms, then lengths. Log is (1,1) (2,2) (3,3). */
    @ParameterizedTest
    @MethodSource("isUpToDateRows")
    void isUpToDate(long lastIndex, long lastTerm, boolean expected) {
        assertThat(logWith(ents(1, 1, 2, 2, 3, 3)).isUpToDate(lastIndex, lastTerm)).isEqualTo(expected);
    }

    @Test
    void termLookupReportsCompactedAndUnavailable() {
        MemoryRaftStorage storage = new MemoryRaftStorage();
        storage.append(ents(1, 1, 2, 2, 3, 3, 4, 4, 5, 5));
        storage.compact(3);
        RaftLog log = new RaftLog(storage, Long.MAX_VALUE);
        assertThat(log.term(2)).isEqualTo(TermResult.COMPACTED);
        assertThat(log.term(3)).isEqualTo(TermResult.found(3));
        assertThat(log.term(5)).isEqualTo(TermResult.found(5));
        assertThat(log.term(6)).isEqualTo(TermResult.UNAVAILABLE);
        assertThatThrownBy(() -> log.slice(3, 5, Long.MAX_VALUE)).isInstanceOf(CompactedException.class);
        assertThat(log.firstIndex()).isEqualTo(4);
        assertThat(log.committed()).isEqualTo(3);
    }

    @Test
    void unstableEntriesBecomeStableAndNextCommittedEntriesAdvance() {
        MemoryRaftStorage storage = new MemoryRaftStorage();
        RaftLog log = new RaftLog(storage, Long.MAX_VALUE);
        log.append(ents(1, 1, 2, 1, 3, 2));
        assertThat(log.unstableEntries()).hasSize(3);
        // The server persists the first two, then tells the log (the Ready loop's advance).
        storage.append(log.unstableEntries().subList(0, 2));
        log.stableTo(2, 1);
        assertThat(log.unstableEntries()).extracting(Entry::getIndex).containsExactly(3L);
        // A stale stableTo (term mismatch after an overwrite) must not drop entries.
        log.stableTo(3, 1);
        assertThat(log.unstableEntries()).hasSize(1);
        log.commitTo(2);
        assertThat(log.nextCommittedEntries()).extracting(Entry::getIndex).containsExactly(1L, 2L);
        log.appliedTo(2);
        assertThat(log.hasNextCommittedEntries()).isFalse();
        assertThatThrownBy(() -> log.commitTo(9)).isInstanceOf(RaftInvariantException.class);
    }

    @Test
    void findConflictByTermSkipsWholeTerms() {
        RaftLog log = logWith(ents(1, 1, 2, 1, 3, 4, 4, 4, 5, 4, 6, 5));
        assertThat(log.findConflictByTerm(6, 3)).containsExactly(2, 1);
        assertThat(log.findConflictByTerm(6, 4)).containsExactly(5, 4);
        assertThat(log.findConflictByTerm(6, 9)).containsExactly(6, 5);
    }

    @Test
    void limitSizeKeepsAtLeastOneEntry() {
        List<Entry> entries = ents(1, 1, 2, 2, 3, 3);
        long one = entries.get(0).getSerializedSize();
        assertThat(RaftLog.limitSize(entries, 0)).hasSize(1);
        assertThat(RaftLog.limitSize(entries, one * 2)).hasSize(2);
        assertThat(RaftLog.limitSize(entries, Long.MAX_VALUE)).hasSize(3);
    }
}
