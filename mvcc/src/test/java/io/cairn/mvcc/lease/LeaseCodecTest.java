package io.cairn.mvcc.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.mvcc.MvccException;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The lease bucket bytes, checked against leasepb.Lease wire bytes assembled by an independent encoder. */
class LeaseCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    static Stream<Arguments> records() {
        return Stream.of(
            Arguments.of(1L, 10L, 0L, "0000000000000001", "0801100a"),
            Arguments.of(7L, 100L, 42L, "0000000000000007", "08071064182a"),
            Arguments.of(0x694d7c0a1b2c3d4eL, 3600L, 3300L, "694d7c0a1b2c3d4e",
                "08cefab0d9a181dfa66910901c18e419"),
            Arguments.of(-2L, 9_000_000_000L, 0L, "fffffffffffffffe",
                "08feffffffffffffffff011080b4c4c321"));
    }

    @ParameterizedTest(name = "lease {0} ttl {1} remaining {2}")
    @MethodSource("records")
    void encodesLikeEtcdAndDecodesBack(long id, long ttl, long remaining, String key, String value) {
        assertThat(HEX.formatHex(LeaseCodec.key(id))).isEqualTo(key);
        assertThat(HEX.formatHex(LeaseCodec.encode(id, ttl, remaining))).isEqualTo(value);
        assertThat(LeaseCodec.decode(HEX.parseHex(key), HEX.parseHex(value)))
            .isEqualTo(new LeaseCodec.Record(id, ttl, remaining));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void refusesBrokenRecords(String name, String key, String value) {
        assertThatThrownBy(() -> LeaseCodec.decode(HEX.parseHex(key), HEX.parseHex(value)))
            .isInstanceOf(MvccException.Corrupted.class);
    }

    static Stream<Arguments> broken() {
        return Stream.of(
            Arguments.of("key of 7 bytes", "00000000000001", "0801"),
            Arguments.of("ID differs from key", "0000000000000002", "0801"),
            Arguments.of("truncated varint", "0000000000000001", "080110"),
            Arguments.of("bytes field beyond end", "0000000000000001", "08012205"),
            Arguments.of("wire type 7", "0000000000000001", "08010f"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unknownFields")
    void skipsUnknownFields(String name, String value) {
        assertThat(LeaseCodec.decode(LeaseCodec.key(1), HEX.parseHex(value)))
            .isEqualTo(new LeaseCodec.Record(1, 10, 0));
    }

    static Stream<Arguments> unknownFields() {
        return Stream.of(
            Arguments.of("varint field 9", "0801100a4805"),
            Arguments.of("bytes field 4", "0801100a2203616263"),
            Arguments.of("fixed64 field 5", "0801100a290102030405060708"),
            Arguments.of("fixed32 field 6", "0801100a3501020304"));
    }
}
