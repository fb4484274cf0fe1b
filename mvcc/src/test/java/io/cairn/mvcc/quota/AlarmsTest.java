package io.cairn.mvcc.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.backend.Backend;
import io.cairn.backend.BackendOptions;
import io.cairn.backend.Backends;
import io.cairn.backend.Bucket;
import io.cairn.backend.Entry;
import io.cairn.backend.RangeQuery;
import io.cairn.backend.ReadTxn;
import io.cairn.backend.WriteTxn;
import io.cairn.mvcc.MvccException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The alarm store: etcd's Activate/Deactivate/Get, its bucket bytes, and restore. */
class AlarmsTest {
    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path tmp;
    private Backend backend;
    private Alarms alarms;

    private void open() {
        backend = Backends.open(BackendOptions.of(tmp.resolve("db"), "memory"));
        alarms = Alarms.open(backend);
    }

    private void reopen() {
        backend.close();
        open();
    }

    @AfterEach
    void close() {
        if (backend != null) {
            backend.close();
        }
    }

    private List<Entry> bucket() {
        try (ReadTxn txn = backend.read()) {
            return txn.list(Bucket.ALARM, RangeQuery.all());
        }
    }

    static Stream<Arguments> members() {
        return Stream.of(
            Arguments.of(0x1234L, AlarmType.NOSPACE, "08b4241001"),
            Arguments.of(1L, AlarmType.CORRUPT, "08011002"),
            Arguments.of(0L, AlarmType.NOSPACE, "1001"),
            Arguments.of(0x8e9e05c52164694dL, AlarmType.NOSPACE, "08cdd2918bd2b881cf8e011001"));
    }

    @ParameterizedTest(name = "member {0} {1}")
    @MethodSource("members")
    void alarmKeysAreEtcdsAlarmMemberBytes(long member, AlarmType type, String key) {
        assertThat(HEX.formatHex(AlarmCodec.encode(new AlarmMember(member, type)))).isEqualTo(key);
        assertThat(AlarmCodec.decode(HEX.parseHex(key))).isEqualTo(new AlarmMember(member, type));
    }

    @Test
    void brokenOrUnknownAlarmKeysAreCorruption() {
        assertThatThrownBy(() -> AlarmCodec.decode(HEX.parseHex("1003")))
            .isInstanceOf(MvccException.Corrupted.class).hasMessageContaining("unknown alarm type 3");
        assertThatThrownBy(() -> AlarmCodec.decode(HEX.parseHex("08")))
            .isInstanceOf(MvccException.Corrupted.class);
        assertThat(AlarmCodec.decode(HEX.parseHex("0801100122026869")))
            .as("unknown fields skipped").isEqualTo(new AlarmMember(1, AlarmType.NOSPACE));
    }

    @Test
    void activateIsIdempotentAndPersistsOneEmptyValuedKeyPerAlarm() {
        open();
        AlarmMember a = new AlarmMember(7, AlarmType.NOSPACE);
        assertThat(alarms.activate(7, AlarmType.NOSPACE)).contains(a);
        assertThat(alarms.activate(7, AlarmType.NOSPACE)).as("already active: returned again").contains(a);
        assertThat(bucket()).hasSize(1);
        assertThat(HEX.formatHex(bucket().get(0).key())).isEqualTo("08071001");
        assertThat(bucket().get(0).value()).isEmpty();
        assertThat(alarms.activate(7, AlarmType.NONE)).as("etcd ignores NONE").isEmpty();
        assertThat(bucket()).hasSize(1);
    }

    @Test
    void getFiltersByTypeAndNoneListsAll() {
        open();
        alarms.activate(3, AlarmType.CORRUPT);
        alarms.activate(2, AlarmType.NOSPACE);
        alarms.activate(-1, AlarmType.NOSPACE);
        alarms.activate(1, AlarmType.NOSPACE);
        assertThat(alarms.list(AlarmType.NONE)).containsExactly(new AlarmMember(1, AlarmType.NOSPACE),
            new AlarmMember(2, AlarmType.NOSPACE), new AlarmMember(-1, AlarmType.NOSPACE),
            new AlarmMember(3, AlarmType.CORRUPT));
        assertThat(alarms.list(AlarmType.CORRUPT)).containsExactly(new AlarmMember(3, AlarmType.CORRUPT));
        assertThat(alarms.isActive(AlarmType.NOSPACE)).isTrue();
        assertThat(alarms.isActive(AlarmType.NONE)).isTrue();
    }

    @Test
    void deactivateRemovesOnlyThatMembersAlarm() {
        open();
        alarms.activate(1, AlarmType.NOSPACE);
        alarms.activate(2, AlarmType.NOSPACE);
        assertThat(alarms.deactivate(1, AlarmType.NOSPACE)).contains(new AlarmMember(1, AlarmType.NOSPACE));
        assertThat(alarms.deactivate(1, AlarmType.NOSPACE)).isEmpty();
        assertThat(alarms.deactivate(2, AlarmType.CORRUPT)).isEmpty();
        assertThat(alarms.isActive(AlarmType.NOSPACE)).as("member 2's is still up").isTrue();
        alarms.deactivate(2, AlarmType.NOSPACE);
        assertThat(alarms.isActive(AlarmType.NOSPACE)).isFalse();
        assertThat(alarms.isActive(AlarmType.NONE)).isFalse();
        assertThat(bucket()).isEmpty();
    }

    @Test
    void alarmsSurviveAReopen() {
        open();
        alarms.activate(1, AlarmType.NOSPACE);
        alarms.activate(9, AlarmType.CORRUPT);
        alarms.activate(5, AlarmType.NOSPACE);
        alarms.deactivate(5, AlarmType.NOSPACE);
        reopen();
        assertThat(alarms.list(AlarmType.NONE)).containsExactly(new AlarmMember(1, AlarmType.NOSPACE),
            new AlarmMember(9, AlarmType.CORRUPT));
    }

    @Test
    void alarmsWrittenByEtcdAreRestored() {
        open();
        try (WriteTxn txn = backend.write()) {
            txn.put(Bucket.ALARM, HEX.parseHex("08cdd2918bd2b881cf8e011001"), new byte[0]);
        }
        reopen();
        assertThat(alarms.list(AlarmType.NOSPACE)).containsExactly(
            new AlarmMember(0x8e9e05c52164694dL, AlarmType.NOSPACE));
    }
}
