package io.cairn.mvcc.quota;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.backend.Backend;
import io.cairn.backend.BackendOptions;
import io.cairn.backend.Backends;
import io.cairn.mvcc.KeyRange;
import io.cairn.mvcc.KvStore;
import io.cairn.mvcc.KvWrite;
import io.cairn.mvcc.LeaseAttachments;
import io.cairn.mvcc.MvccConfig;
import io.cairn.mvcc.MvccException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The NOSPACE cycle on a real (memory) backend, and the refusal tables of etcd's capped and corrupt appliers. */
class QuotaGuardTest {
    private static final long MEMBER = 0x8e9e05c52164694dL;
    private static final long QUOTA_BYTES = 16 * 1024;
    private static final int MAX_PUTS = 1_000;

    @TempDir
    Path tmp;
    private Backend backend;
    private KvStore store;
    private Alarms alarms;
    private QuotaGuard guard;

    private void open() {
        backend = Backends.open(BackendOptions.of(tmp.resolve("db"), "memory"));
        store = KvStore.open(backend, MvccConfig.DEFAULT, LeaseAttachments.NONE);
        alarms = Alarms.open(backend);
        guard = new QuotaGuard(new BackendQuota(backend, QUOTA_BYTES), alarms, MEMBER);
    }

    private void reopen() {
        store.close();
        backend.close();
        open();
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
            backend.close();
        }
    }

    private static long putCost(int i) {
        return QuotaCost.put(key(i).length, 1_024);
    }

    private static byte[] key(int i) {
        return ("key-" + i).getBytes(StandardCharsets.UTF_8);
    }

    /** Puts 1 KiB values, as a server would, until the guard refuses one; returns that refusal. */
    private Verdict fillUntilRefused() {
        for (int i = 0; i < MAX_PUTS; i++) {
            Verdict admitted = guard.admit(RequestKind.PUT, putCost(i));
            if (!admitted.proceeds()) {
                return admitted;
            }
            assertThat(guard.beforeApply(RequestKind.PUT, putCost(i))).isEqualTo(Verdict.PROCEED);
            try (KvWrite w = store.write()) {
                w.put(key(i), new byte[1_024], 0);
            }
            backend.sync();
        }
        throw new AssertionError("the quota never filled up");
    }

    @Test
    void aFullBackendRaisesNoSpaceRefusesWritesAndRecoversAfterDefragAndDisarm() {
        open();
        Verdict refused = fillUntilRefused();
        assertThat(refused.action()).isEqualTo(Verdict.Action.REFUSE);
        assertThat(refused.error()).isInstanceOf(MvccException.NoSpace.class)
            .hasMessage("etcdserver: mvcc: database space exceeded");
        assertThat(refused.alarmToRaise()).contains(new AlarmMember(MEMBER, AlarmType.NOSPACE));
        assertThat(backend.sizeBytes()).isGreaterThan(QUOTA_BYTES - putCost(0));

        alarms.activate(MEMBER, AlarmType.NOSPACE);
        assertThat(guard.capped()).isTrue();
        assertThat(guard.beforeApply(RequestKind.PUT, 300).error()).isInstanceOf(MvccException.NoSpace.class);
        assertThat(guard.beforeApply(RequestKind.DELETE_RANGE, 0)).isEqualTo(Verdict.PROCEED);
        try (KvWrite w = store.write()) {
            w.deleteRange(KeyRange.prefix("key-".getBytes(StandardCharsets.UTF_8)));
        }
        assertThat(guard.beforeApply(RequestKind.COMPACTION, 0)).isEqualTo(Verdict.PROCEED);
        store.compact(store.currentRevision()).runToCompletion();
        assertThat(guard.beforeApply(RequestKind.DEFRAG, 0)).isEqualTo(Verdict.PROCEED);
        backend.defrag();
        assertThat(backend.sizeBytes()).isLessThan(QUOTA_BYTES / 2);
        assertThat(guard.admit(RequestKind.PUT, putCost(0))).as("fits again").isEqualTo(Verdict.PROCEED);
        assertThat(guard.beforeApply(RequestKind.PUT, putCost(0)).action()).as("but still capped")
            .isEqualTo(Verdict.Action.REFUSE);

        assertThat(guard.beforeApply(RequestKind.ALARM, 0)).isEqualTo(Verdict.PROCEED);
        alarms.deactivate(MEMBER, AlarmType.NOSPACE);
        assertThat(guard.capped()).isFalse();
        assertThat(guard.beforeApply(RequestKind.PUT, putCost(0))).isEqualTo(Verdict.PROCEED);
    }

    @Test
    void aWriteThatNoLongerFitsWhenAppliedIsKeptButAnsweredNoSpaceAndRaisesTheAlarm() {
        open();
        fillUntilRefused();
        Verdict v = guard.beforeApply(RequestKind.TXN, putCost(0));
        assertThat(v.action()).isEqualTo(Verdict.Action.APPLY_AND_FAIL);
        assertThat(v.proceeds()).isTrue();
        assertThat(v.error()).isInstanceOf(MvccException.NoSpace.class);
        assertThat(v.alarmToRaise()).contains(new AlarmMember(MEMBER, AlarmType.NOSPACE));
        assertThat(guard.beforeApply(RequestKind.RANGE, 0)).isEqualTo(Verdict.PROCEED);
        assertThat(guard.admit(RequestKind.TXN, putCost(0)).action()).isEqualTo(Verdict.Action.REFUSE);
    }

    @Test
    void theAlarmAndItsRefusalsSurviveARestart() {
        open();
        alarms.activate(MEMBER, AlarmType.NOSPACE);
        reopen();
        assertThat(alarms.list(AlarmType.NOSPACE)).containsExactly(new AlarmMember(MEMBER, AlarmType.NOSPACE));
        assertThat(guard.beforeApply(RequestKind.LEASE_GRANT, QuotaCost.LEASE_GRANT_BYTES).error())
            .isInstanceOf(MvccException.NoSpace.class);
    }

    static Stream<Arguments> underNoSpace() {
        return Stream.of(
            Arguments.of(RequestKind.PUT, 300L, true),
            Arguments.of(RequestKind.TXN, 300L, true),
            Arguments.of(RequestKind.TXN, 0L, false),
            Arguments.of(RequestKind.LEASE_GRANT, 64L, true),
            Arguments.of(RequestKind.RANGE, 0L, false),
            Arguments.of(RequestKind.DELETE_RANGE, 0L, false),
            Arguments.of(RequestKind.COMPACTION, 0L, false),
            Arguments.of(RequestKind.LEASE_REVOKE, 0L, false),
            Arguments.of(RequestKind.ALARM, 0L, false),
            Arguments.of(RequestKind.DEFRAG, 0L, false),
            Arguments.of(RequestKind.OTHER, 0L, false));
    }

    @ParameterizedTest(name = "{0} costing {1}: refused {2}")
    @MethodSource("underNoSpace")
    void cappedApplierTable(RequestKind kind, long cost, boolean refused) {
        StubBackend stub = new StubBackend();
        Alarms active = alarmsWith(AlarmType.NOSPACE);
        QuotaGuard capped = new QuotaGuard(new BackendQuota(stub.backend(), QUOTA_BYTES), active, MEMBER);
        Verdict v = capped.beforeApply(kind, cost);
        assertThat(v.action()).isEqualTo(refused ? Verdict.Action.REFUSE : Verdict.Action.PROCEED);
        if (refused) {
            assertThat(v.error()).hasMessage("etcdserver: mvcc: database space exceeded");
            assertThat(v.alarmToRaise()).as("already raised").isEmpty();
        }
    }

    static Stream<Arguments> underCorrupt() {
        return Stream.of(
            Arguments.of(RequestKind.PUT, true),
            Arguments.of(RequestKind.TXN, true),
            Arguments.of(RequestKind.LEASE_GRANT, true),
            Arguments.of(RequestKind.RANGE, true),
            Arguments.of(RequestKind.DELETE_RANGE, true),
            Arguments.of(RequestKind.COMPACTION, true),
            Arguments.of(RequestKind.LEASE_REVOKE, true),
            Arguments.of(RequestKind.ALARM, false),
            Arguments.of(RequestKind.DEFRAG, false),
            Arguments.of(RequestKind.OTHER, false));
    }

    @ParameterizedTest(name = "{0}: refused {1}")
    @MethodSource("underCorrupt")
    void corruptApplierTable(RequestKind kind, boolean refused) {
        StubBackend stub = new StubBackend();
        QuotaGuard corrupt = new QuotaGuard(new BackendQuota(stub.backend(), QUOTA_BYTES),
            alarmsWith(AlarmType.CORRUPT), MEMBER);
        Verdict v = corrupt.beforeApply(kind, 0);
        assertThat(v.action()).isEqualTo(refused ? Verdict.Action.REFUSE : Verdict.Action.PROCEED);
        if (refused) {
            assertThat(v.error()).isInstanceOf(MvccException.CorruptCluster.class)
                .hasMessage("etcdserver: corrupt cluster");
        }
        assertThat(corrupt.capped()).isTrue();
    }

    /** At the quota even requests costing nothing fail etcd's strict comparison, txns without puts included. */
    @Test
    void onlyPutsTxnsAndLeaseGrantsAreCheckedBeforeProposing() {
        StubBackend stub = new StubBackend();
        stub.setSizeBytes(QUOTA_BYTES);
        QuotaGuard full = new QuotaGuard(new BackendQuota(stub.backend(), QUOTA_BYTES), alarmsWith(AlarmType.NONE),
            MEMBER);
        for (RequestKind kind : RequestKind.values()) {
            Verdict v = full.admit(kind, 0);
            boolean checked = kind == RequestKind.PUT || kind == RequestKind.TXN || kind == RequestKind.LEASE_GRANT;
            assertThat(v.action()).as("%s", kind).isEqualTo(checked ? Verdict.Action.REFUSE : Verdict.Action.PROCEED);
            assertThat(v.alarmToRaise()).isEqualTo(checked
                ? Optional.of(new AlarmMember(MEMBER, AlarmType.NOSPACE)) : Optional.empty());
        }
    }

    private Alarms alarmsWith(AlarmType type) {
        backend = Backends.open(BackendOptions.of(tmp.resolve("alarms"), "memory"));
        Alarms a = Alarms.open(backend);
        a.activate(1, type);
        return a;
    }
}
