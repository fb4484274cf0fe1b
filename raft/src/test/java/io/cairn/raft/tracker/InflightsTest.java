package io.cairn.raft.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InflightsTest {

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
