package io.cairn.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Ordering, ranges, limits, values and buckets. Every data test runs with the data still in the write buffer,
 * committed to the engine, and split between both, since reads merge the two.
 */
abstract class BackendRangeTests extends ConformanceFixture {

    /** Where the test data lives when it is read. */
    enum Placement { BUFFERED, COMMITTED, MIXED }

    private static final byte[][] ORDERED = {
        bytes(0x00), bytes(0x00, 0x00), bytes(0x00, 0xFF), bytes(0x01), bytes(0x7F), bytes(0x7F, 0x00),
        bytes(0x80), bytes(0x80, 0x01), bytes(0xFE, 0xFF, 0xFF), bytes(0xFF), bytes(0xFF, 0x00), bytes(0xFF, 0xFF),
    };

    /** Writes {@link #ORDERED} in a shuffled order, placed as asked. */
    Backend loadOrdered(Placement placement) {
        Backend backend = openFresh();
        List<byte[]> shuffled = new ArrayList<>(Arrays.asList(ORDERED));
        Collections.shuffle(shuffled, new Random(7));
        for (int i = 0; i < shuffled.size(); i++) {
            put(backend, B1, shuffled.get(i), shuffled.get(i));
            if (placement == Placement.MIXED && i == shuffled.size() / 2) {
                backend.commit();
            }
        }
        if (placement == Placement.COMMITTED) {
            backend.commit();
        }
        return backend;
    }

    @ParameterizedTest
    @EnumSource(Placement.class)
    void keysOrderBytewiseUnsigned(Placement placement) {
        Backend backend = loadOrdered(placement);
        assertThat(keys(all(backend, B1))).containsExactlyElementsOf(hex(ORDERED, 0, ORDERED.length));
    }

    static Stream<Arguments> ranges() {
        return Stream.of(
            // start, end (null = unbounded), limit, reverse, expected [from, to) indexes into ORDERED
            Arguments.of(bytes(0x00), null, 0, false, 0, 12),
            Arguments.of(bytes(0x7F), bytes(0x80), 0, false, 4, 6),
            Arguments.of(bytes(0x7F), bytes(0x80, 0x00), 0, false, 4, 7),
            Arguments.of(bytes(0x80), bytes(0x7F), 0, false, 0, 0),
            Arguments.of(bytes(0x80), bytes(0x80), 0, false, 0, 0),
            Arguments.of(bytes(0x00), null, 3, false, 0, 3),
            Arguments.of(bytes(0x00), null, 3, true, 9, 12),
            Arguments.of(bytes(0x01), bytes(0xFF), 0, true, 3, 9),
            Arguments.of(bytes(0x01), bytes(0xFF), 2, true, 7, 9),
            Arguments.of(bytes(0xFF, 0xFF), null, 0, false, 11, 12),
            Arguments.of(bytes(0xFF, 0xFF, 0x00), null, 0, true, 0, 0),
            Arguments.of(bytes(0x00, 0x00, 0x00), bytes(0x01), 0, false, 2, 3),
            Arguments.of(new byte[0], bytes(0x00, 0x01), 0, false, 0, 2));
    }

    @ParameterizedTest
    @MethodSource("ranges")
    void rangeBoundsLimitsAndDirection(byte[] start, byte[] end, int limit, boolean reverse, int from, int to) {
        for (Placement placement : Placement.values()) {
            Backend backend = loadOrdered(placement);
            List<String> expected = new ArrayList<>(hex(ORDERED, from, to));
            if (reverse) {
                Collections.reverse(expected);
            }
            try (ReadTxn txn = backend.read()) {
                RangeQuery q = new RangeQuery(start, end, limit, reverse);
                assertThat(keys(txn.list(B1, q))).as("%s %s", placement, q).containsExactlyElementsOf(expected);
                long unlimited = txn.list(B1, q.withLimit(0)).size();
                assertThat(txn.count(B1, q)).isEqualTo(unlimited);
                if (limit == 0) {
                    assertThat(unlimited).isEqualTo(to - from);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Placement.class)
    void prefixRangesAndEarlyStop(Placement placement) {
        Backend backend = loadOrdered(placement);
        try (ReadTxn txn = backend.read()) {
            assertThat(keys(txn.list(B1, RangeQuery.prefix(bytes(0xFF))))).containsExactlyElementsOf(
                hex(ORDERED, 9, 12));
            assertThat(keys(txn.list(B1, RangeQuery.prefix(bytes(0x7F))))).containsExactlyElementsOf(
                hex(ORDERED, 4, 6));
            List<byte[]> seen = new ArrayList<>();
            long visited = txn.scan(B1, RangeQuery.all(), (k, v) -> seen.add(k) && seen.size() < 4);
            assertThat(visited).isEqualTo(4);
            assertThat(seen).hasSize(4);
        }
    }

    @ParameterizedTest
    @EnumSource(Placement.class)
    void emptyAndLargeValues(Placement placement) {
        Backend backend = openFresh();
        byte[] big = new byte[3 * 1024 * 1024 / 2];
        new Random(1).nextBytes(big);
        byte[] huge = new byte[4 * 1024 * 1024];
        new Random(2).nextBytes(huge);
        try (WriteTxn txn = backend.write()) {
            txn.put(B1, b("empty"), new byte[0]);
            txn.put(B1, b("big"), big);
            txn.put(B1, b("huge"), huge);
        }
        if (placement != Placement.BUFFERED) {
            backend.commit();
        }
        try (ReadTxn txn = backend.read()) {
            assertThat(txn.get(B1, b("empty"))).hasValueSatisfying(v -> assertThat(v).isEmpty());
            assertThat(txn.get(B1, b("big"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(big));
            assertThat(txn.get(B1, b("huge"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(huge));
            assertThat(txn.list(B1, RangeQuery.all())).extracting(e -> e.value().length)
                .containsExactly(big.length, 0, huge.length);
        }
    }

    @ParameterizedTest
    @EnumSource(Placement.class)
    void missingKeysAndBuckets(Placement placement) {
        Backend backend = loadOrdered(placement);
        try (ReadTxn txn = backend.read()) {
            assertThat(txn.get(B1, bytes(0x02))).isEmpty();
            assertThat(txn.get(B2, bytes(0x01))).isEmpty();
            assertThat(txn.list(B2, RangeQuery.all())).isEmpty();
            assertThat(txn.count(B2, RangeQuery.all())).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Placement.class)
    void deletesHideKeysAndEmptyBucketsDisappear(Placement placement) {
        Backend backend = loadOrdered(placement);
        put(backend, B2, b("x"), b("1"));
        try (WriteTxn txn = backend.write()) {
            txn.delete(B1, bytes(0x7F));
            txn.delete(B1, bytes(0x42));
            txn.delete(B2, b("x"));
        }
        if (placement == Placement.MIXED) {
            backend.commit();
        }
        try (ReadTxn txn = backend.read()) {
            assertThat(txn.get(B1, bytes(0x7F))).isEmpty();
            assertThat(txn.count(B1, RangeQuery.all())).isEqualTo(ORDERED.length - 1);
            assertThat(txn.buckets()).containsExactly(B1);
        }
    }

    @Test
    void bucketsAreListedInNameOrder() {
        Backend backend = openFresh();
        try (WriteTxn txn = backend.write()) {
            for (String name : List.of("zeta", "alpha", "key", "Meta", "a_b")) {
                txn.put(Bucket.of(name), b("k"), b("v"));
            }
        }
        List<String> expected = List.of("Meta", "a_b", "alpha", "key", "zeta");
        try (ReadTxn txn = backend.read()) {
            assertThat(txn.buckets()).extracting(Bucket::name).containsExactlyElementsOf(expected);
        }
        backend.commit();
        try (ReadTxn txn = backend.read()) {
            assertThat(txn.buckets()).extracting(Bucket::name).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void invalidKeysAndBucketNamesAreRefused() {
        Backend backend = openFresh();
        try (WriteTxn txn = backend.write()) {
            assertThatThrownBy(() -> txn.put(B1, new byte[0], b("v"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key must be non-empty");
            assertThatThrownBy(() -> txn.delete(B1, new byte[0])).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Bucket.of("bad name")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Bucket.of("")).isInstanceOf(IllegalArgumentException.class);
    }

    static List<String> hex(byte[][] keys, int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(Keys.toHex(keys[i]));
        }
        return out;
    }
}
