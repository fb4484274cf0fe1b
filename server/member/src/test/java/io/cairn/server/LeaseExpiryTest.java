package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.api.etcdserverpb.InternalRaftRequest;
import io.cairn.api.etcdserverpb.LeaseCheckpoint;
import io.cairn.backend.Backend;
import io.cairn.backend.BackendOptions;
import io.cairn.backend.Backends;
import io.cairn.mvcc.KvStore;
import io.cairn.mvcc.MvccConfig;
import io.cairn.mvcc.lease.Lessor;
import io.cairn.mvcc.lease.LessorConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader's lease loop, stepped by hand on a fake clock with a lessor on the in-memory engine; proposals are
 * recorded instead of going to raft, and complete when the test says so.
 */
class LeaseExpiryTest {
    private static final long S = 1_000_000_000L;

    @TempDir
    Path tmp;
    private final AtomicLong now = new AtomicLong(1_000 * S);
    private final List<InternalRaftRequest> proposed = new ArrayList<>();
    private final List<CompletableFuture<Object>> inFlight = new ArrayList<>();
    private boolean holdRevokes;
    private Backend backend;
    private KvStore store;
    private Lessor lessor;

    private LeaseExpiry open(LessorConfig config) {
        backend = Backends.open(BackendOptions.of(tmp.resolve("db"), "memory"));
        AtomicLong ids = new AtomicLong();
        lessor = Lessor.open(backend, config, now::get, ids::incrementAndGet);
        store = KvStore.open(backend, MvccConfig.DEFAULT, lessor);
        lessor.useStore(store);
        return new LeaseExpiry(lessor, config, this::propose, now::get, Duration.ofMillis(1));
    }

    private CompletableFuture<Object> propose(InternalRaftRequest.Builder r) {
        InternalRaftRequest request = r.build();
        proposed.add(request);
        CompletableFuture<Object> f = new CompletableFuture<>();
        if (holdRevokes && request.hasLeaseRevoke()) {
            inFlight.add(f);
        } else {
            f.complete(null);
        }
        return f;
    }

    @AfterEach
    void close() {
        store.close();
        backend.close();
    }

    private List<Long> revoked() {
        return proposed.stream().filter(InternalRaftRequest::hasLeaseRevoke).map(r -> r.getLeaseRevoke().getID())
            .toList();
    }

    @Test
    void expiredLeasesAreProposedForRevokeOnlyByThePrimaryAndRetried() {
        LeaseExpiry expiry = open(LessorConfig.DEFAULT.withMinTtlSeconds(1));
        long a = lessor.grant(0, 1).id();
        long b = lessor.grant(0, 1).id();
        lessor.grant(0, 10);
        now.addAndGet(5 * S);
        expiry.step();
        assertThat(proposed).as("a lessor that is not the primary expires nothing").isEmpty();
        lessor.promote(0);
        now.addAndGet(2 * S);
        expiry.step();
        assertThat(revoked()).containsExactly(a, b);
        proposed.clear();
        expiry.step();
        assertThat(proposed).as("handed out once per retry interval").isEmpty();
        now.addAndGet(3 * S);
        expiry.step();
        assertThat(revoked()).as("the revokes never applied: proposed again").containsExactly(a, b);
    }

    @Test
    void atMostSixteenRevokesAreInFlight() {
        LeaseExpiry expiry = open(LessorConfig.DEFAULT.withMinTtlSeconds(1));
        lessor.promote(0);
        for (int i = 0; i < 20; i++) {
            lessor.grant(0, 1);
        }
        holdRevokes = true;
        now.addAndGet(2 * S);
        expiry.step();
        assertThat(revoked()).hasSize(LeaseExpiry.MAX_PENDING_REVOKES);
        inFlight.forEach(f -> f.complete(null));
        proposed.clear();
        now.addAndGet(3 * S);
        expiry.step();
        assertThat(revoked()).as("slots freed: the lessor hands the leases out again").isNotEmpty();
    }

    @Test
    void revokesPerStepFollowTheRevokeRate() {
        LeaseExpiry expiry = open(LessorConfig.DEFAULT.withMinTtlSeconds(1).withRevokeRatePerSecond(10));
        lessor.promote(0);
        for (int i = 0; i < 8; i++) {
            lessor.grant(0, 1);
        }
        now.addAndGet(2 * S);
        expiry.step();
        assertThat(revoked()).as("10/s over a 500 ms step").hasSize(5);
    }

    @Test
    void dueCheckpointsAreProposedAsOneBatch() {
        LeaseExpiry expiry = open(LessorConfig.DEFAULT.withMinTtlSeconds(1).withCheckpointing(true)
            .withCheckpointInterval(Duration.ofSeconds(1)));
        lessor.promote(0);
        long id = lessor.grant(0, 10).id();
        lessor.grant(0, 1); // not longer than the interval: never checkpointed
        now.addAndGet(1 * S + S / 2);
        expiry.step();
        List<InternalRaftRequest> checkpoints = proposed.stream().filter(InternalRaftRequest::hasLeaseCheckpoint)
            .toList();
        assertThat(checkpoints).hasSize(1);
        assertThat(checkpoints.get(0).getLeaseCheckpoint().getCheckpointsList())
            .extracting(LeaseCheckpoint::getID, LeaseCheckpoint::getRemainingTTL)
            .containsExactly(org.assertj.core.groups.Tuple.tuple(id, 9L));
    }

    @Test
    void checkpointingOffProposesNoCheckpoint() {
        LeaseExpiry expiry = open(LessorConfig.DEFAULT.withMinTtlSeconds(1).withCheckpointing(false)
            .withCheckpointInterval(Duration.ofSeconds(1)));
        lessor.promote(0);
        lessor.grant(0, 10);
        now.addAndGet(2 * S);
        expiry.step();
        assertThat(proposed).isEmpty();
    }
}
