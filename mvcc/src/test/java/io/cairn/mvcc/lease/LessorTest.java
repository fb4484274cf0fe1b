package io.cairn.mvcc.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.backend.BackendOptions;
import io.cairn.backend.Backends;
import io.cairn.backend.Bucket;
import io.cairn.backend.Entry;
import io.cairn.mvcc.Event;
import io.cairn.mvcc.KeyValue;
import io.cairn.mvcc.MvccException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Grant, renew, expiry, revoke, attachments and restore, with a fake clock. */
class LessorTest extends LessorFixture {

    @Test
    void grantDrawsPositiveDistinctIdsRaisesTheMinimumTtlAndPersistsLikeEtcd() {
        open(LessorConfig.DEFAULT.withMinTtlSeconds(5));
        Lease a = lessor.grant(0, 1);
        Lease b = lessor.grant(0, 60);
        assertThat(a.id()).isPositive().isNotEqualTo(b.id());
        assertThat(a.ttlSeconds()).as("raised to the minimum").isEqualTo(5);
        assertThat(b.ttlSeconds()).isEqualTo(60);
        assertThat(lessor.grant(7, 100)).isEqualTo(new Lease(7, 100, 0));
        assertThat(lessor.grant(-3, 0).ttlSeconds()).as("any nonzero ID, as etcd").isEqualTo(5);

        Entry stored = bucket(Bucket.LEASE).stream().filter(e -> e.key()[7] == 7).findFirst().orElseThrow();
        assertThat(HexFormat.of().formatHex(stored.key())).isEqualTo("0000000000000007");
        assertThat(HexFormat.of().formatHex(stored.value())).isEqualTo("08071064");
        assertThat(bucket(Bucket.LEASE)).hasSize(4);
        assertThat(lessor.leases()).containsExactlyInAnyOrder(a.id(), b.id(), 7L, -3L);
    }

    @Test
    void grantRefusesTakenIdsAndTooLargeTtls() {
        open();
        lessor.grant(1, 10);
        assertThatThrownBy(() -> lessor.grant(1, 20))
            .isInstanceOf(MvccException.LeaseExists.class).hasMessage("lease already exists");
        assertThatThrownBy(() -> lessor.grant(2, Lessor.MAX_LEASE_TTL_SECONDS + 1))
            .isInstanceOf(MvccException.LeaseTtlTooLarge.class).hasMessage("etcdserver: too large lease TTL");
        assertThat(lessor.grant(3, Lessor.MAX_LEASE_TTL_SECONDS).ttlSeconds())
            .isEqualTo(Lessor.MAX_LEASE_TTL_SECONDS);
        assertThat(lessor.lookup(1)).contains(new Lease(1, 10, 0));
        assertThat(lessor.lookup(2)).isEmpty();
    }

    @Test
    void drawnIdsSkipZeroNegativeBitAndTakenIds() {
        long[] draws = {0, 5, Long.MIN_VALUE, 5 | Long.MIN_VALUE, 6};
        int[] next = {0};
        backend = Backends.open(BackendOptions.of(tmp.resolve("db"), "memory"));
        lessor = Lessor.open(backend, config, clock, () -> draws[next[0]++]);
        assertThat(lessor.grant(0, 10).id()).isEqualTo(5);
        assertThat(lessor.grant(0, 10).id()).as("MIN_VALUE masks to 0, 5 is taken").isEqualTo(6);
        backend.close();
    }

    @Test
    void aLeaseExpiresItsTtlAfterGrantOnThePrimaryAndIsHandedOutAgainUntilRevoked() {
        open();
        lessor.promote(0);
        lessor.grant(1, 10);
        clock.advanceNanos(10 * S - 1);
        assertThat(lessor.expiredLeases(clock.now())).isEmpty();
        clock.advanceNanos(1);
        assertThat(lessor.expiredLeases(clock.now())).containsExactly(1L);
        assertThat(lessor.expiredLeases(clock.now())).as("not again before the retry interval").isEmpty();
        clock.advanceSeconds(3);
        assertThat(lessor.expiredLeases(clock.now())).as("revoke never applied: retried").containsExactly(1L);
        lessor.revoke(1);
        clock.advanceSeconds(3);
        assertThat(lessor.expiredLeases(clock.now())).isEmpty();
        assertThat(lessor.lookup(1)).isEmpty();
    }

    @Test
    void renewRestartsTheFullTtlOnlyOnThePrimary() {
        open();
        lessor.grant(1, 10);
        assertThatThrownBy(() -> lessor.renew(1))
            .isInstanceOf(MvccException.NotPrimary.class).hasMessage("not a primary lessor");
        lessor.promote(0);
        clock.advanceSeconds(8);
        assertThat(lessor.renew(1)).isEqualTo(10);
        clock.advanceNanos(10 * S - 1);
        assertThat(lessor.expiredLeases(clock.now())).isEmpty();
        assertThat(lessor.timeToLive(1, false).ttlSeconds()).isZero();
        clock.advanceNanos(1);
        assertThat(lessor.expiredLeases(clock.now())).containsExactly(1L);
        assertThatThrownBy(() -> lessor.renew(1)).as("expired: answered as etcd once the revoke applies")
            .isInstanceOf(MvccException.LeaseNotFound.class).hasMessage("lease not found");
        assertThatThrownBy(() -> lessor.renew(99)).isInstanceOf(MvccException.LeaseNotFound.class);
    }

    static Stream<Arguments> timeToLive() {
        return Stream.of(
            Arguments.of(0L, 10L),
            Arguments.of(1L, 9L),
            Arguments.of(S / 2, 9L),
            Arguments.of(4 * S + S / 2, 5L),
            Arguments.of(10 * S - 1, 0L),
            Arguments.of(10 * S, 0L),
            Arguments.of(11 * S + S / 2, -1L));
    }

    @ParameterizedTest(name = "{0} ns after grant -> TTL {1}")
    @MethodSource("timeToLive")
    void timeToLiveReportsRemainingSecondsTruncated(long elapsedNanos, long ttl) {
        open();
        lessor.promote(0);
        lessor.grant(1, 10);
        clock.advanceNanos(elapsedNanos);
        LeaseTimeToLive answer = lessor.timeToLive(1, false);
        assertThat(answer.ttlSeconds()).isEqualTo(ttl);
        assertThat(answer.grantedTtlSeconds()).isEqualTo(10);
        assertThat(answer.keys()).isEmpty();
    }

    @Test
    void timeToLiveOfAnUnknownLeaseIsNotFound() {
        open();
        assertThatThrownBy(() -> lessor.timeToLive(5, true))
            .isInstanceOf(MvccException.LeaseNotFound.class).hasMessage("lease not found");
    }

    @Test
    void revokeDeletesEveryAttachedKeyInOneRevisionInKeyOrderAndTheRecordWithThem() {
        open();
        lessor.grant(1, 60);
        lessor.grant(2, 60);
        put("c", 1);
        put("a", 1);
        put("b", 1);
        put("d", 0);
        put("e", 2);
        long before = store.currentRevision();
        lessor.revoke(1);
        assertThat(store.currentRevision()).isEqualTo(before + 1);
        assertThat(liveKeys()).containsExactly("d", "e");
        List<Event> events = store.history(before + 1, before + 1, 10);
        assertThat(events).extracting(e -> str(e.kv().key())).containsExactly("a", "b", "c");
        assertThat(events).allMatch(e -> e.kv().modRevision() == before + 1 && e.type() == Event.Type.DELETE);
        assertThat(bucket(Bucket.LEASE)).extracting(e -> e.key()[7]).containsExactly((byte) 2);
        assertThat(lessor.leaseOf(b("a"))).isZero();
        assertThatThrownBy(() -> lessor.revoke(1))
            .isInstanceOf(MvccException.LeaseNotFound.class).hasMessage("lease not found");
    }

    @Test
    void revokingALeaseWithoutKeysChangesNoRevision() {
        open();
        lessor.grant(1, 60);
        long before = store.currentRevision();
        lessor.revoke(1);
        assertThat(store.currentRevision()).isEqualTo(before);
        assertThat(bucket(Bucket.LEASE)).isEmpty();
    }

    @Test
    void putsMoveKeysBetweenLeasesAndDeletesDetachThem() {
        open();
        lessor.grant(1, 60);
        lessor.grant(2, 60);
        put("k", 1);
        assertThat(lessor.leaseOf(b("k"))).isEqualTo(1);
        put("k", 2);
        assertThat(attachedKeys(1)).isEmpty();
        assertThat(attachedKeys(2)).containsExactly("k");
        put("k", 0);
        assertThat(attachedKeys(2)).isEmpty();
        assertThat(lessor.leaseOf(b("k"))).isZero();
        put("k", 2);
        delete("k");
        assertThat(attachedKeys(2)).isEmpty();
        assertThat(lessor.leaseOf(b("k"))).isZero();
    }

    @Test
    void leasesKeysAndCheckpointsSurviveAReopenAndDoNotExpireBeforePromotion() {
        open();
        lessor.promote(0);
        lessor.grant(1, 30);
        lessor.grant(2, 60);
        put("x", 1);
        put("y", 2);
        put("z", 2);
        reopen();
        assertThat(lessor.leases()).containsExactly(1L, 2L);
        assertThat(lessor.lookup(1)).contains(new Lease(1, 30, 0));
        assertThat(attachedKeys(2)).containsExactly("y", "z");
        assertThat(lessor.leaseOf(b("x"))).isEqualTo(1);
        assertThat(lessor.isPrimary()).isFalse();
        clock.advanceSeconds(1_000);
        assertThat(lessor.expiredLeases(clock.now())).as("not primary: nothing expires").isEmpty();
        assertThat(lessor.timeToLive(1, false).ttlSeconds()).isEqualTo(9_223_372_036L);

        lessor.promote(2 * S);
        clock.advanceNanos(32 * S - 1);
        assertThat(lessor.expiredLeases(clock.now())).isEmpty();
        clock.advanceNanos(1);
        assertThat(lessor.expiredLeases(clock.now())).containsExactly(1L);
        lessor.revoke(1);
        assertThat(liveKeys()).containsExactly("y", "z");
    }

    @Test
    void restoredTtlsAreRaisedToANewMinimum() {
        open(LessorConfig.DEFAULT.withMinTtlSeconds(5));
        lessor.grant(1, 5);
        lessor.grant(2, 50);
        reopen(LessorConfig.DEFAULT.withMinTtlSeconds(20));
        assertThat(lessor.lookup(1).orElseThrow().ttlSeconds()).isEqualTo(20);
        assertThat(lessor.lookup(2).orElseThrow().ttlSeconds()).isEqualTo(50);
    }

    @Test
    void demoteStopsExpiryUntilTheNextPromotion() {
        open();
        lessor.promote(0);
        lessor.grant(1, 10);
        lessor.demote();
        clock.advanceSeconds(100);
        assertThat(lessor.expiredLeases(clock.now())).isEmpty();
        assertThat(lessor.timeToLive(1, false).ttlSeconds()).isEqualTo(9_223_372_036L);
        assertThatThrownBy(() -> lessor.renew(1)).isInstanceOf(MvccException.NotPrimary.class);
        lessor.promote(0);
        clock.advanceSeconds(9.5);
        assertThat(lessor.expiredLeases(clock.now())).isEmpty();
        clock.advanceSeconds(0.5);
        assertThat(lessor.expiredLeases(clock.now())).containsExactly(1L);
    }

    @Test
    void grantsOnAFollowerNeverExpire() {
        open();
        lessor.grant(1, 10);
        clock.advanceSeconds(60);
        assertThat(lessor.expiredLeases(clock.now())).isEmpty();
    }

    @Test
    void leasesAreListedSoonestExpiryFirst() {
        open();
        lessor.promote(0);
        lessor.grant(3, 30);
        lessor.grant(1, 50);
        lessor.grant(2, 10);
        assertThat(lessor.leases()).containsExactly(2L, 3L, 1L);
        lessor.demote();
        assertThat(lessor.leases()).as("all forever: by ID").containsExactly(1L, 2L, 3L);
    }

    @Test
    void keysAreReturnedAsCopies() {
        open();
        lessor.grant(1, 10);
        put("k", 1);
        byte[] key = lessor.timeToLive(1, true).keys().get(0);
        key[0] = 'x';
        assertThat(attachedKeys(1)).containsExactly("k");
        KeyValue kv = all().get(0);
        assertThat(kv.lease()).isEqualTo(1);
    }
}
