package io.cairn.mvcc.op;

import static io.cairn.mvcc.op.Fixture.b;

import io.cairn.mvcc.op.RangeRequest.SortOrder;
import io.cairn.mvcc.op.RangeRequest.SortTarget;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Random etcd requests over a small key space (a..d and their two-letter pairs), so that requests collide:
 * single keys, ranges (some inverted), from-key, prefix and whole-keyspace ranges; revisions around the live
 * window; leases 1..3 that exist and 7 that does not; nested transactions two deep. Mostly valid, sometimes not.
 */
final class RandomRequests {
    private static final String[] VALUES = {"", "x", "y", "xy", "z", "\u00ff"};
    private static final List<String> KEYS = new ArrayList<>();

    static {
        for (char c = 'a'; c <= 'd'; c++) {
            KEYS.add(String.valueOf(c));
            for (char d = 'a'; d <= 'd'; d++) {
                KEYS.add("" + c + d);
            }
        }
    }

    private final Random rnd;

    RandomRequests(Random rnd) {
        this.rnd = rnd;
    }

    RequestOp request(long rev, long compacted) {
        int d = rnd.nextInt(100);
        if (d < 30) {
            return range(rev, compacted);
        } else if (d < 55) {
            return put();
        } else if (d < 67) {
            return delete();
        }
        return txn(rev, compacted, 0);
    }

    private byte[] key() {
        return b(KEYS.get(rnd.nextInt(KEYS.size())));
    }

    private byte[] value() {
        return b(VALUES[rnd.nextInt(VALUES.length)]);
    }

    /** {key, rangeEnd}. */
    private byte[][] keyRange() {
        int d = rnd.nextInt(100);
        byte[] k = key();
        if (d < 45) {
            return new byte[][] {k, null};
        } else if (d < 65) {
            return new byte[][] {k, key()};
        } else if (d < 80) {
            return new byte[][] {k, {0}};
        } else if (d < 92) {
            byte[] end = Arrays.copyOf(k, k.length);
            end[end.length - 1]++;
            return new byte[][] {k, end};
        }
        return new byte[][] {{0}, {0}};
    }

    private long revisionAround(long rev, long compacted) {
        long lo = Math.max(1, compacted - 1);
        return lo + (long) rnd.nextInt((int) (rev + 1 - lo + 1));
    }

    private long maybe(int percent, long value) {
        return rnd.nextInt(100) < percent ? value : 0;
    }

    RangeRequest range(long rev, long compacted) {
        byte[][] kr = keyRange();
        long[] limits = {0, 0, 0, 1, 2, 3, -1};
        RangeRequest r = RangeRequest.of(kr[0], kr[1]).withLimit(limits[rnd.nextInt(limits.length)])
            .withRevision(rnd.nextInt(100) < 65 ? 0 : revisionAround(rev, compacted))
            .withKeysOnly(rnd.nextInt(100) < 15).withCountOnly(rnd.nextInt(100) < 10)
            .withModRevisions(maybe(15, 1 + rnd.nextInt((int) rev)), maybe(15, 1 + rnd.nextInt((int) rev)))
            .withCreateRevisions(maybe(15, 1 + rnd.nextInt((int) rev)), maybe(15, 1 + rnd.nextInt((int) rev)));
        if (rnd.nextBoolean()) {
            r = r.withSort(SortOrder.values()[rnd.nextInt(3)], SortTarget.values()[rnd.nextInt(5)]);
        }
        return r;
    }

    PutRequest put() {
        PutRequest p = PutRequest.of(key(), value()).withPrevKv(rnd.nextBoolean());
        long[] leases = {1, 2, 3, 7};
        if (rnd.nextInt(100) < 25) {
            p = p.withLease(leases[rnd.nextInt(leases.length)]);
        }
        if (rnd.nextInt(100) < 12) {
            p = new PutRequest(p.key(), rnd.nextInt(10) == 0 ? p.value() : null, p.lease(), p.prevKv(), true,
                p.ignoreLease());
        }
        if (rnd.nextInt(100) < 12) {
            p = p.withIgnoreLease(true).withLease(rnd.nextInt(10) == 0 ? p.lease() : 0);
        }
        return p;
    }

    DeleteRangeRequest delete() {
        byte[][] kr = keyRange();
        return DeleteRangeRequest.of(kr[0], kr[1]).withPrevKv(rnd.nextBoolean());
    }

    Compare compare(long rev) {
        Compare.Target target = Compare.Target.values()[rnd.nextInt(5)];
        Compare.Result result = Compare.Result.values()[rnd.nextInt(4)];
        long number = switch (target) {
            case VERSION -> rnd.nextInt(4);
            case CREATE, MOD -> rnd.nextInt((int) rev + 2);
            case LEASE -> rnd.nextInt(4);
            case VALUE -> 0;
        };
        byte[][] kr = rnd.nextInt(100) < 75 ? new byte[][] {key(), null} : keyRange();
        return new Compare(result, target, kr[0], kr[1], number, target == Compare.Target.VALUE ? value() : null);
    }

    TxnRequest txn(long rev, long compacted, int depth) {
        List<Compare> compares = new ArrayList<>();
        for (int i = rnd.nextInt(3); i > 0; i--) {
            compares.add(compare(rev));
        }
        return new TxnRequest(compares, ops(rev, compacted, depth), ops(rev, compacted, depth));
    }

    private List<RequestOp> ops(long rev, long compacted, int depth) {
        List<RequestOp> ops = new ArrayList<>();
        for (int i = rnd.nextInt(4); i > 0; i--) {
            int d = rnd.nextInt(100);
            if (depth < 2 && d < 12) {
                ops.add(txn(rev, compacted, depth + 1));
            } else if (d < 45) {
                ops.add(range(rev, compacted));
            } else if (d < 78) {
                ops.add(put());
            } else {
                ops.add(delete());
            }
        }
        return ops;
    }
}
