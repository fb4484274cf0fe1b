package io.cairn.mvcc.op;

/**
 * etcd's {@code Compare}: {@code target(key or every key in the range) result operand}. The operand is
 * {@code number} for VERSION, CREATE, MOD and LEASE and {@code value} for VALUE; etcd's {@code target_union}
 * when it names another field than {@code target} compares against 0 or the empty value, so the server passes
 * those then. Null arrays become empty; arrays are shared, never mutate them (and compared by identity).
 */
public record Compare(Result result, Target target, byte[] key, byte[] rangeEnd, long number, byte[] value) {

    /** etcd's {@code Compare.CompareResult}, with its wire numbers. */
    public enum Result {
        EQUAL(0), GREATER(1), LESS(2), NOT_EQUAL(3);

        private final int number;

        Result(int number) {
            this.number = number;
        }

        public int number() {
            return number;
        }

        public static Result forNumber(int number) {
            for (Result r : values()) {
                if (r.number == number) {
                    return r;
                }
            }
            throw new IllegalArgumentException("unknown compare result " + number);
        }
    }

    /** etcd's {@code Compare.CompareTarget}, with its wire numbers. */
    public enum Target {
        VERSION(0), CREATE(1), MOD(2), VALUE(3), LEASE(4);

        private final int number;

        Target(int number) {
            this.number = number;
        }

        public int number() {
            return number;
        }

        public static Target forNumber(int number) {
            for (Target t : values()) {
                if (t.number == number) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown compare target " + number);
        }
    }

    public Compare {
        if (result == null || target == null) {
            throw new IllegalArgumentException("compare result and target are required");
        }
        key = Bytes.orEmpty(key);
        rangeEnd = Bytes.orEmpty(rangeEnd);
        value = Bytes.orEmpty(value);
    }

    public static Compare version(byte[] key, Result result, long version) {
        return new Compare(result, Target.VERSION, key, null, version, null);
    }

    public static Compare createRevision(byte[] key, Result result, long rev) {
        return new Compare(result, Target.CREATE, key, null, rev, null);
    }

    public static Compare modRevision(byte[] key, Result result, long rev) {
        return new Compare(result, Target.MOD, key, null, rev, null);
    }

    public static Compare lease(byte[] key, Result result, long lease) {
        return new Compare(result, Target.LEASE, key, null, lease, null);
    }

    public static Compare value(byte[] key, Result result, byte[] value) {
        return new Compare(result, Target.VALUE, key, null, 0, value);
    }

    /** The same compare over {@code [key, rangeEnd)} (etcd's range_end convention). */
    public Compare withRangeEnd(byte[] end) {
        return new Compare(result, target, key, end, number, value);
    }

    @Override
    public String toString() {
        return "Compare[" + target + "(" + Bytes.show(key) + (rangeEnd.length == 0 ? "" : ", " + Bytes.show(rangeEnd))
            + ") " + result + " " + (target == Target.VALUE ? Bytes.show(value) : Long.toString(number)) + "]";
    }
}
