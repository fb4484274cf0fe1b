package io.cairn.mvcc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The key index, with the examples of etcd's key_index.go documentation and key_index_test.go as tables. */
class KeyIndexTest {

    /**
     * etcd's newTestKeyIndex: put 2, put 4, delete 6, put 8, put 10, delete 12, put 14.0, put 14.1, delete 16.
     * <pre>
     *    {empty}
     *    {14.0, 14.1, 16.0(t)}
     *    {8.0, 10.0, 12.0(t)}
     *    {2.0, 4.0, 6.0(t)}
     * </pre>
     */
    static KeyIndex testKeyIndex() {
        KeyIndex ki = new KeyIndex("foo".getBytes(StandardCharsets.UTF_8));
        ki.put(2, 0);
        ki.put(4, 0);
        ki.tombstone(6, 0);
        ki.put(8, 0);
        ki.put(10, 0);
        ki.tombstone(12, 0);
        ki.put(14, 0);
        ki.put(14, 1);
        ki.tombstone(16, 0);
        return ki;
    }

    static Stream<Arguments> gets() {
        return Stream.of(
            Arguments.of(17, null, null, 0), Arguments.of(16, null, null, 0),
            Arguments.of(15, rev(14, 1), rev(14, 0), 2), Arguments.of(14, rev(14, 1), rev(14, 0), 2),
            Arguments.of(13, null, null, 0), Arguments.of(12, null, null, 0),
            Arguments.of(11, rev(10, 0), rev(8, 0), 2), Arguments.of(10, rev(10, 0), rev(8, 0), 2),
            Arguments.of(9, rev(8, 0), rev(8, 0), 1), Arguments.of(8, rev(8, 0), rev(8, 0), 1),
            Arguments.of(7, null, null, 0), Arguments.of(6, null, null, 0),
            Arguments.of(5, rev(4, 0), rev(2, 0), 2), Arguments.of(4, rev(4, 0), rev(2, 0), 2),
            Arguments.of(3, null, null, 0), Arguments.of(2, null, null, 0), Arguments.of(1, null, null, 0),
            Arguments.of(0, null, null, 0));
    }

    /** etcd TestKeyIndexGet: the index compacted at 4 first. */
    @ParameterizedTest(name = "get at {0}")
    @MethodSource("gets")
    void getFindsTheRevisionCreationAndVersionAtARevision(long at, Revision mod, Revision created, long version) {
        KeyIndex ki = testKeyIndex();
        ki.compact(4, new HashSet<>());
        KeyIndex.Hit hit = ki.get(at);
        if (mod == null) {
            assertThat(hit).isNull();
        } else {
            assertThat(hit).isEqualTo(new KeyIndex.Hit(mod, created, version));
        }
    }

    static Stream<Arguments> sinces() {
        List<Revision> all = List.of(rev(4, 0), rev(6, 0), rev(8, 0), rev(10, 0), rev(12, 0), rev(14, 1), rev(16, 0));
        return Stream.of(
            Arguments.of(17, List.of()), Arguments.of(16, all.subList(6, 7)), Arguments.of(15, all.subList(6, 7)),
            Arguments.of(14, all.subList(5, 7)), Arguments.of(13, all.subList(5, 7)),
            Arguments.of(12, all.subList(4, 7)), Arguments.of(11, all.subList(4, 7)),
            Arguments.of(10, all.subList(3, 7)), Arguments.of(9, all.subList(3, 7)),
            Arguments.of(8, all.subList(2, 7)), Arguments.of(7, all.subList(2, 7)),
            Arguments.of(6, all.subList(1, 7)), Arguments.of(5, all.subList(1, 7)), Arguments.of(4, all),
            Arguments.of(3, all), Arguments.of(2, all), Arguments.of(1, all), Arguments.of(0, all));
    }

    /** etcd TestKeyIndexSince: one revision per main revision, the last change in it (14.1, not 14.0). */
    @ParameterizedTest(name = "since {0}")
    @MethodSource("sinces")
    void sinceListsOneRevisionPerTransaction(long since, List<Revision> expected) {
        KeyIndex ki = testKeyIndex();
        ki.compact(4, new HashSet<>());
        assertThat(ki.since(since)).containsExactlyElementsOf(expected);
    }

    /**
     * The example of etcd's keyIndex documentation: put(1.0); put(2.0); tombstone(3.0); put(4.0); tombstone(5.0).
     * Expected generations after each compaction, oldest first, and what compact and keep report available. Since
     * etcd-io/etcd#18274 a tombstone at exactly the compaction revision stays (compact) but is not hashed (keep).
     */
    static Stream<Arguments> docCompactions() {
        return Stream.of(
            Arguments.of(2, "[{2.0, 3.0}, {4.0, 5.0}, {}]", Set.of(rev(2, 0)), Set.of(rev(2, 0))),
            Arguments.of(3, "[{3.0}, {4.0, 5.0}, {}]", Set.of(rev(3, 0)), Set.of()),
            Arguments.of(4, "[{4.0, 5.0}, {}]", Set.of(rev(4, 0)), Set.of(rev(4, 0))),
            Arguments.of(5, "[{5.0}, {}]", Set.of(rev(5, 0)), Set.of()),
            Arguments.of(6, "[{}]", Set.of(), Set.of()));
    }

    @ParameterizedTest(name = "compact({0})")
    @MethodSource("docCompactions")
    void compactionFollowsEtcdsDocumentedExample(long at, String generations, Set<Revision> compactKeeps,
                                                 Set<Revision> hashKeeps) {
        KeyIndex ki = new KeyIndex("foo".getBytes(StandardCharsets.UTF_8));
        ki.put(1, 0);
        ki.put(2, 0);
        ki.tombstone(3, 0);
        ki.put(4, 0);
        ki.tombstone(5, 0);
        Set<Revision> kept = new HashSet<>();
        ki.keep(at, kept);
        Set<Revision> compacted = new HashSet<>();
        ki.compact(at, compacted);
        assertThat(ki.toString()).endsWith("generations=" + generations);
        assertThat(compacted).isEqualTo(compactKeeps);
        assertThat(kept).isEqualTo(hashKeeps);
        assertThat(ki.isEmpty()).isEqualTo(generations.equals("[{}]"));
    }

    static Stream<Arguments> compactions() {
        String full = "[{2.0, 4.0, 6.0}, {8.0, 10.0, 12.0}, {14.0, 14.1, 16.0}, {}]";
        String from4 = "[{4.0, 6.0}, {8.0, 10.0, 12.0}, {14.0, 14.1, 16.0}, {}]";
        String from8 = "[{8.0, 10.0, 12.0}, {14.0, 14.1, 16.0}, {}]";
        String from10 = "[{10.0, 12.0}, {14.0, 14.1, 16.0}, {}]";
        String from14 = "[{14.0, 14.1, 16.0}, {}]";
        Set<Revision> none = Set.of();
        return Stream.of(
            Arguments.of(1, full, none, none),
            Arguments.of(2, full, Set.of(rev(2, 0)), Set.of(rev(2, 0))),
            Arguments.of(3, full, Set.of(rev(2, 0)), Set.of(rev(2, 0))),
            Arguments.of(4, from4, Set.of(rev(4, 0)), Set.of(rev(4, 0))),
            Arguments.of(5, from4, Set.of(rev(4, 0)), Set.of(rev(4, 0))),
            Arguments.of(6, "[{6.0}, {8.0, 10.0, 12.0}, {14.0, 14.1, 16.0}, {}]", Set.of(rev(6, 0)), none),
            Arguments.of(7, from8, none, none),
            Arguments.of(8, from8, Set.of(rev(8, 0)), Set.of(rev(8, 0))),
            Arguments.of(9, from8, Set.of(rev(8, 0)), Set.of(rev(8, 0))),
            Arguments.of(10, from10, Set.of(rev(10, 0)), Set.of(rev(10, 0))),
            Arguments.of(11, from10, Set.of(rev(10, 0)), Set.of(rev(10, 0))),
            Arguments.of(12, "[{12.0}, {14.0, 14.1, 16.0}, {}]", Set.of(rev(12, 0)), none),
            Arguments.of(13, from14, none, none),
            Arguments.of(14, "[{14.1, 16.0}, {}]", Set.of(rev(14, 1)), Set.of(rev(14, 1))),
            Arguments.of(15, "[{14.1, 16.0}, {}]", Set.of(rev(14, 1)), Set.of(rev(14, 1))),
            Arguments.of(16, "[{16.0}, {}]", Set.of(rev(16, 0)), none),
            Arguments.of(17, "[{}]", none, none));
    }

    /** etcd TestKeyIndexCompactAndKeep (after etcd-io/etcd#18274): compact a fresh test index at each revision. */
    @ParameterizedTest(name = "compact({0})")
    @MethodSource("compactions")
    void compactAndKeepAtEveryRevision(long at, String generations, Set<Revision> compactKeeps,
                                       Set<Revision> hashKeeps) {
        KeyIndex ki = testKeyIndex();
        Set<Revision> kept = new HashSet<>();
        ki.keep(at, kept);
        assertThat(kept).isEqualTo(hashKeeps);
        Set<Revision> compacted = new HashSet<>();
        ki.compact(at, compacted);
        assertThat(ki.toString()).endsWith("generations=" + generations);
        assertThat(compacted).isEqualTo(compactKeeps);
    }

    @Test
    void compactingStepByStepEqualsCompactingOnce() {
        for (long at = 1; at <= 17; at++) {
            KeyIndex stepwise = testKeyIndex();
            for (long r = 1; r <= at; r++) {
                if (!stepwise.isEmpty()) {
                    stepwise.compact(r, new HashSet<>());
                }
            }
            KeyIndex once = testKeyIndex();
            once.compact(at, new HashSet<>());
            assertThat(stepwise.toString()).as("at %d", at).isEqualTo(once.toString());
        }
    }

    @Test
    void aKeyDeletedAndPutAgainInTheCompactedRevisionKeepsBothChanges() {
        KeyIndex ki = new KeyIndex(new byte[] {1});
        ki.put(2, 0);
        ki.tombstone(4, 0);
        ki.put(4, 1);
        Set<Revision> kept = new HashSet<>();
        ki.keep(4, kept);
        assertThat(kept).as("hash: the put at 4.1, not the tombstone").containsExactly(rev(4, 1));
        Set<Revision> compacted = new HashSet<>();
        ki.compact(4, compacted);
        assertThat(compacted).containsExactlyInAnyOrder(rev(4, 0), rev(4, 1));
        assertThat(ki.toString()).endsWith("generations=[{4.0}, {4.1}]");
        assertThat(ki.get(4)).isEqualTo(new KeyIndex.Hit(rev(4, 1), rev(4, 1), 1));
    }

    @Test
    void putMustMoveForwardAndTombstoneNeedsALiveKey() {
        KeyIndex ki = new KeyIndex(new byte[] {1});
        ki.put(5, 0);
        assertThatThrownBy(() -> ki.put(5, 0)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("put 5.0 <= modified 5.0");
        assertThat(ki.tombstone(6, 0)).isTrue();
        assertThat(ki.tombstone(7, 0)).as("already deleted").isFalse();
        ki.put(8, 0);
        assertThat(ki.get(8)).isEqualTo(new KeyIndex.Hit(rev(8, 0), rev(8, 0), 1));
        assertThat(ki.generationCount()).isEqualTo(2);
    }

    static Revision rev(long main, long sub) {
        return new Revision(main, sub);
    }
}
