package io.cairn.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random operations checked against a plain {@link TreeMap} model: puts, deletes, commits, reads with random
 * ranges, reads held open across writes, and reopen. Every failure names its seed; rerun one with
 * {@code -Dcairn.backend.seed=N}.
 */
abstract class BackendModelTests extends BackendCrashTests {
    private static final int OPS_PER_SEED = 1_500;
    private static final int[] EDGE_BYTES = {0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF};
    private static final Bucket[] BUCKETS = {B1, B2};

    static LongStream seeds() {
        String fixed = System.getProperty("cairn.backend.seed");
        if (fixed != null) {
            return LongStream.of(Long.parseLong(fixed));
        }
        return LongStream.concat(LongStream.of(1, 2, 3), LongStream.of(System.nanoTime()));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomOperationsMatchTheModel(long seed) {
        Random random = new Random(seed);
        Path dir = tmp.resolve("model-" + seed);
        Map<Bucket, NavigableMap<byte[], byte[]>> model = new TreeMap<>();
        for (Bucket b : BUCKETS) {
            model.put(b, new TreeMap<>(Keys.ORDER));
        }
        Backend backend = Backends.open(options(dir).withBatchLimitOps(1 + random.nextInt(200)));
        List<HeldRead> held = new ArrayList<>();
        try {
            for (int op = 0; op < OPS_PER_SEED; op++) {
                String where = "seed " + seed + " op " + op;
                int dice = random.nextInt(100);
                if (dice < 55) {
                    writeTxn(backend, model, random);
                } else if (dice < 80) {
                    checkRange(backend, model, random, where);
                } else if (dice < 88) {
                    backend.commit();
                } else if (dice < 93) {
                    held.add(new HeldRead(backend.read(), copy(model)));
                } else if (dice < 97 && !held.isEmpty()) {
                    HeldRead h = held.remove(random.nextInt(held.size()));
                    checkAll(h.txn, h.model, where + " (held read)");
                    h.txn.close();
                } else {
                    held.forEach(h -> h.txn.close());
                    held.clear();
                    backend.close();
                    backend = Backends.open(options(dir).withBatchLimitOps(1 + random.nextInt(200)));
                }
            }
            try (ReadTxn txn = backend.read()) {
                checkAll(txn, model, "seed " + seed + " at end");
            }
        } finally {
            held.forEach(h -> h.txn.close());
            backend.close();
        }
    }

    private record HeldRead(ReadTxn txn, Map<Bucket, NavigableMap<byte[], byte[]>> model) {
    }

    private static void writeTxn(Backend backend, Map<Bucket, NavigableMap<byte[], byte[]>> model, Random random) {
        try (WriteTxn txn = backend.write()) {
            int n = 1 + random.nextInt(8);
            for (int i = 0; i < n; i++) {
                Bucket bucket = BUCKETS[random.nextInt(BUCKETS.length)];
                byte[] key = randomKey(random);
                if (random.nextInt(4) == 0) {
                    txn.delete(bucket, key);
                    model.get(bucket).remove(key);
                } else {
                    byte[] value = new byte[random.nextInt(6)];
                    random.nextBytes(value);
                    txn.put(bucket, key, value);
                    model.get(bucket).put(key, value);
                }
                if (random.nextInt(5) == 0) {
                    assertThat(txn.get(bucket, key).orElse(null)).isEqualTo(model.get(bucket).get(key));
                }
            }
        }
    }

    private static void checkRange(Backend backend, Map<Bucket, NavigableMap<byte[], byte[]>> model, Random random,
                                   String where) {
        Bucket bucket = BUCKETS[random.nextInt(BUCKETS.length)];
        byte[] start = random.nextInt(5) == 0 ? new byte[0] : randomKey(random);
        byte[] end = random.nextInt(4) == 0 ? null : randomKey(random);
        RangeQuery q = new RangeQuery(start, end, random.nextInt(3) == 0 ? 1 + random.nextInt(5) : 0,
            random.nextBoolean());
        try (ReadTxn txn = backend.read()) {
            assertThat(txn.list(bucket, q)).as("%s %s %s", where, bucket, q).isEqualTo(expected(model.get(bucket),
                q));
            byte[] key = randomKey(random);
            assertThat(txn.get(bucket, key).orElse(null)).as("%s get", where).isEqualTo(model.get(bucket).get(key));
        }
    }

    private static void checkAll(ReadTxn txn, Map<Bucket, NavigableMap<byte[], byte[]>> model, String where) {
        for (Bucket b : BUCKETS) {
            assertThat(txn.list(b, RangeQuery.all())).as("%s bucket %s", where, b)
                .isEqualTo(expected(model.get(b), RangeQuery.all()));
        }
        assertThat(txn.buckets()).as(where).containsExactlyElementsOf(
            model.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey).toList());
    }

    static List<Entry> expected(NavigableMap<byte[], byte[]> m, RangeQuery q) {
        if (q.isEmpty()) {
            return List.of();
        }
        NavigableMap<byte[], byte[]> range = q.end() == null ? m.tailMap(q.start(), true)
            : m.subMap(q.start(), true, q.end(), false);
        List<Entry> out = new ArrayList<>();
        for (Map.Entry<byte[], byte[]> e : (q.reverse() ? range.descendingMap() : range).entrySet()) {
            if (q.limit() > 0 && out.size() >= q.limit()) {
                break;
            }
            out.add(new Entry(e.getKey(), e.getValue()));
        }
        return Collections.unmodifiableList(out);
    }

    private static Map<Bucket, NavigableMap<byte[], byte[]>> copy(Map<Bucket, NavigableMap<byte[], byte[]>> m) {
        Map<Bucket, NavigableMap<byte[], byte[]>> out = new TreeMap<>();
        m.forEach((b, keys) -> out.put(b, new TreeMap<>(keys)));
        return out;
    }

    private static byte[] randomKey(Random random) {
        byte[] key = new byte[1 + random.nextInt(3)];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) EDGE_BYTES[random.nextInt(EDGE_BYTES.length)];
        }
        return key;
    }
}
