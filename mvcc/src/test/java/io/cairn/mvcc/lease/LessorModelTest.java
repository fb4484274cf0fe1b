package io.cairn.mvcc.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.mvcc.KeyValue;
import io.cairn.mvcc.MvccException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Random grants, puts, deletes and revokes (with restarts) against a naive model of which key is on which lease;
 * checked through the lessor's attachments, the store's keys and a reopen. A failure prints its seed; rerun it
 * with {@code -Dcairn.seed=...}.
 */
class LessorModelTest extends LessorFixture {
    private static final int ROUNDS = 8;
    private static final int OPS = 300;

    private final Map<String, Long> keyToLease = new TreeMap<>();
    private final TreeSet<Long> liveLeases = new TreeSet<>();

    @Test
    void attachmentsMatchANaiveModel() {
        long seed = Long.getLong("cairn.seed", System.nanoTime());
        for (int round = 0; round < ROUNDS; round++) {
            long roundSeed = seed + round;
            try {
                run(new SplittableRandom(roundSeed));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("reproduce with seed=" + roundSeed + ": " + e.getMessage(), e);
            } finally {
                closeAll();
                store = null;
                keyToLease.clear();
                liveLeases.clear();
                tmp = tmp.resolve("r" + round);
            }
        }
    }

    private void run(SplittableRandom random) {
        open();
        for (int i = 0; i < OPS; i++) {
            step(random);
            if (random.nextInt(100) == 0) {
                reopen();
            }
        }
        check();
        reopen();
        check();
    }

    private void step(SplittableRandom random) {
        int op = random.nextInt(10);
        String key = "k" + random.nextInt(20);
        if (op < 2) {
            long id = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(12);
            try {
                liveLeases.add(lessor.grant(id, 10 + random.nextInt(100)).id());
            } catch (MvccException.LeaseExists e) {
                assertThat(liveLeases).contains(id);
            }
        } else if (op < 6) {
            long lease = liveLeases.isEmpty() || random.nextBoolean() ? 0 : pick(random);
            put(key, lease);
            keyToLease.put(key, lease);
        } else if (op < 8) {
            delete(key);
            keyToLease.remove(key);
        } else {
            long id = liveLeases.isEmpty() || random.nextInt(4) == 0 ? 99 : pick(random);
            long before = store.currentRevision();
            boolean hadKeys = keyToLease.containsValue(id);
            try {
                lessor.revoke(id);
                assertThat(liveLeases.remove(id)).isTrue();
                keyToLease.values().removeIf(l -> l == id);
                assertThat(store.currentRevision()).isEqualTo(hadKeys ? before + 1 : before);
            } catch (MvccException.LeaseNotFound e) {
                assertThat(liveLeases).doesNotContain(id);
            }
        }
    }

    private long pick(SplittableRandom random) {
        List<Long> ids = new ArrayList<>(liveLeases);
        return ids.get(random.nextInt(ids.size()));
    }

    private void check() {
        assertThat(lessor.leases()).containsExactlyInAnyOrderElementsOf(liveLeases);
        Map<String, Long> stored = new TreeMap<>();
        for (KeyValue kv : all()) {
            stored.put(str(kv.key()), kv.lease());
        }
        assertThat(stored).isEqualTo(keyToLease);
        for (Map.Entry<String, Long> e : keyToLease.entrySet()) {
            assertThat(lessor.leaseOf(b(e.getKey()))).as("lease of %s", e.getKey()).isEqualTo(e.getValue());
        }
        for (long lease : liveLeases) {
            List<String> expected = keyToLease.entrySet().stream().filter(e -> e.getValue() == lease)
                .map(Map.Entry::getKey).toList();
            assertThat(attachedKeys(lease)).as("keys of lease %s", lease).isEqualTo(expected);
        }
    }
}
