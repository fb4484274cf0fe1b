package io.cairn.raft.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InflightsTest {

    /**
     * etcd inflights_test.go TestInflightsFull: append {@code i} carries {@code 100 + i} bytes; the buffer fills at
     * {@code fullAt} (by count or bytes), frees up to {@code freeLE}, and fills again at {@code againAt}.
     */
    static Stream<Arguments> fullByCountOrBytes() {
        long none = Inflights.NO_BYTE_LIMIT;
        return Stream.of(
            Arguments.of("single-entry", 1, none, 1, 1, 2),
            Arguments.of("single-entry-overflow", 1, 10L, 1, 1, 2),
            Arguments.of("multi-entry", 15, none, 15, 6, 22),
            Arguments.of("slight-overflow", 8, 400L, 4, 2, 7),
            Arguments.of("exact-max-bytes", 8, 406L, 4, 3, 8),
            Arguments.of("larger-overflow", 15, 408L, 5, 1, 6));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fullByCountOrBytes")
    void fillsByCountOrBytes(String name, int size, long maxBytes, int fullAt, long freeLE, int againAt) {
        Inflights in = new Inflights(size, maxBytes);
        addUntilFull(in, 0, fullAt);
        in.freeLE(freeLE);
        addUntilFull(in, fullAt, againAt);
        assertThatThrownBy(() -> in.add(100, 1024)).isInstanceOf(IllegalStateException.class);
    }

    private static void addUntilFull(Inflights in, int begin, int end) {
        for (int i = begin; i < end; i++) {
            assertThat(in.full()).as("full at %d, want %d", i, end).isFalse();
            in.add(i, 100 + i);
        }
        assertThat(in.full()).as("not full at %d", end).isTrue();
    }

    @Test
    void freeingCountsBytesBack() {
        Inflights in = new Inflights(10, 1000);
        in.add(1, 300);
        in.add(2, 300);
        in.add(3, 300);
        assertThat(in.bytes()).isEqualTo(900);
        in.freeFirstOne();
        assertThat(in.bytes()).isEqualTo(600);
        in.add(4, 500);
        assertThat(in.full()).as("1100 bytes >= 1000").isTrue();
        in.freeLE(3);
        assertThat(in.bytes()).isEqualTo(500);
        assertThat(in.full()).isFalse();
        in.reset();
        assertThat(in.bytes()).isZero();
    }

    @Test
    void addFreeAndWrapAround() {
        Inflights in = new Inflights(3);
        in.add(5);
        in.add(7);
        in.add(9);
        assertThat(in.full()).isTrue();
        assertThatThrownBy(() -> in.add(10)).isInstanceOf(IllegalStateException.class);
        in.freeLE(7);
        assertThat(in.count()).isEqualTo(1);
        in.add(11);
        in.add(12);
        assertThat(in.full()).isTrue();
        in.freeFirstOne();
        assertThat(in.count()).isEqualTo(2);
        in.freeLE(100);
        assertThat(in.count()).isZero();
    }

    @Test
    void progressProbeAndReplicateTransitions() {
        Progress pr = new Progress(0, 6, 2, false);
        pr.pauseMsgApp();
        assertThat(pr.isPaused()).isTrue();
        // A rejection at next-1 with a hint backs next up and resumes probing.
        assertThat(pr.maybeDecrTo(5, 2)).isTrue();
        assertThat(pr.next()).isEqualTo(3);
        assertThat(pr.isPaused()).isFalse();
        assertThat(pr.maybeDecrTo(9, 1)).as("stale rejection").isFalse();
        assertThat(pr.maybeUpdate(4)).isTrue();
        pr.becomeReplicate();
        assertThat(pr.next()).isEqualTo(5);
        assertThat(pr.maybeDecrTo(3, 0)).as("rejection below match is stale").isFalse();
        pr.becomeSnapshot(20);
        assertThat(pr.isPaused()).isTrue();
        pr.becomeProbe();
        assertThat(pr.next()).isEqualTo(21);
    }
}
