package io.cairn.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The tree index's point lookups and range scans see the same key indexes through random puts, deletes and
 * compactions, and a put returns what a get just before it returned.
 */
class TreeIndexTest {
    private static final int KEYS = 40;

    @Test
    void pointLookupsAndRangeScansAgreeThroughPutsDeletesAndCompactions() {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom random = new SplittableRandom(seed);
        TreeIndex index = new TreeIndex();
        long rev = 1;
        long compacted = 0;
        for (int step = 0; step < 3_000; step++) {
            byte[] key = key(random.nextInt(KEYS));
            int op = random.nextInt(10);
            if (op < 6) {
                rev++;
                KeyIndex.Hit before = index.get(key, rev);
                KeyIndex.Hit returned = index.put(key, new Revision(rev, 0));
                assertThat(returned).as("seed %d step %d", seed, step).isEqualTo(before);
                assertThat(index.get(key, rev).modified()).isEqualTo(new Revision(rev, 0));
            } else if (op < 9) {
                boolean live = index.get(key, rev) != null;
                if (live) {
                    rev++;
                }
                assertThat(index.tombstone(key, new Revision(rev, 0))).as("seed %d step %d", seed, step)
                    .isEqualTo(live);
            } else {
                compacted = compacted + random.nextLong(rev - compacted + 1);
                index.compact(compacted);
            }
            long at = compacted + random.nextLong(rev - compacted + 1);
            assertAgree(index, at, seed, step);
        }
    }

    @Test
    void aKeyDroppedByCompactionCanBePutAgain() {
        TreeIndex index = new TreeIndex();
        byte[] key = key(7);
        index.put(key, new Revision(2, 0));
        index.tombstone(key, new Revision(3, 0));
        index.compact(3);
        assertThat(index.contains(key)).as("etcd keeps a tombstone at the compacted revision").isTrue();
        index.compact(4);
        assertThat(index.contains(key)).isFalse();
        assertThat(index.size()).isZero();
        assertThat(index.put(key.clone(), new Revision(5, 0))).isNull();
        assertThat(index.contains(key)).isTrue();
        assertThat(index.get(key, 5)).isEqualTo(new KeyIndex.Hit(new Revision(5, 0), new Revision(5, 0), 1));
        assertThat(index.revisions(KeyRange.from(key(0)), 5, 0, false).total()).isEqualTo(1);
    }

    private static void assertAgree(TreeIndex index, long at, long seed, int step) {
        for (int k = 0; k < KEYS; k++) {
            byte[] key = key(k);
            KeyIndex.Hit point = index.get(key, at);
            TreeIndex.Revisions scan = index.revisions(KeyRange.between(key, key(k + 1)), at, 0, false);
            assertThat(scan.total()).as("seed %d step %d key %d at %d", seed, step, k, at)
                .isEqualTo(point == null ? 0 : 1);
            if (point != null) {
                assertThat(scan.revisions().get(0).revision()).isEqualTo(point.modified());
                assertThat(Arrays.equals(scan.revisions().get(0).key(), key)).isTrue();
            }
            assertThat(index.contains(key)).as("seed %d step %d key %d", seed, step, k)
                .isEqualTo(hasHistory(index, key));
        }
    }

    /** Whether the skip list holds a key index for {@code key} (live or with history only). */
    private static boolean hasHistory(TreeIndex index, byte[] key) {
        return !index.since(KeyRange.between(key, key(key[1] + 1)), 0).isEmpty();
    }

    private static byte[] key(int k) {
        return new byte[] {'k', (byte) k};
    }
}
