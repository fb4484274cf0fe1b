package io.cairn.server.auth;

import io.cairn.api.authpb.Permission;
import io.cairn.api.authpb.Role;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * One user's key permissions merged over all its roles (etcd's {@code unifiedRangePermissions}): for READ and for
 * WRITE, the union of the granted intervals as a sorted list of disjoint intervals. Keys compare as unsigned
 * bytes; an interval's end of {@code null} is "no upper bound".
 *
 * <p>How a granted {@link Permission} becomes an interval (etcd's rules, server/auth/range_perm_cache.go):
 * <pre>
 *   key k, range_end ""      one key:            [k, k\0)
 *   key k, range_end "\0"    every key from k:   [k, ∞)
 *   key k, range_end e       a range:            [k, e)
 * </pre>
 * A request is permitted on one key ({@code rangeEnd} empty) when an interval holds the key; on a range
 * {@code [key, rangeEnd)} (or {@code [key, ∞)} for {@code "\0"}) when one merged interval covers all of it, so
 * touching grants such as {@code [a, b)} and {@code [b, c)} together permit {@code [a, c)}. Immutable.
 */
public final class RangePermissions {
    /** An interval {@code [begin, end)}; {@code end == null} is unbounded. */
    private record Interval(byte[] begin, byte[] end) {
    }

    private static final Comparator<Interval> BY_BEGIN = (a, b) -> Arrays.compareUnsigned(a.begin, b.begin);

    private final List<Interval> read;
    private final List<Interval> write;

    private RangePermissions(List<Interval> read, List<Interval> write) {
        this.read = read;
        this.write = write;
    }

    /** The merged permissions of {@code roles} (roles that do not exist are simply absent). */
    public static RangePermissions of(List<Role> roles) {
        List<Interval> read = new ArrayList<>();
        List<Interval> write = new ArrayList<>();
        for (Role role : roles) {
            for (Permission p : role.getKeyPermissionList()) {
                Interval ivl = interval(p.getKey().toByteArray(), p.getRangeEnd().toByteArray());
                switch (p.getPermType()) {
                    case READ -> read.add(ivl);
                    case WRITE -> write.add(ivl);
                    case READWRITE -> {
                        read.add(ivl);
                        write.add(ivl);
                    }
                    default -> {
                        // an unknown type grants nothing
                    }
                }
            }
        }
        return new RangePermissions(merge(read), merge(write));
    }

    /** Whether a grant of {@code [key, rangeEnd)} is well formed (etcd's {@code isValidPermissionRange}). */
    public static boolean isValidRange(byte[] key, byte[] rangeEnd) {
        if (key.length == 0) {
            return false;
        }
        return rangeEnd.length == 0 || isOpenEnded(rangeEnd) || Arrays.compareUnsigned(key, rangeEnd) < 0;
    }

    /** Whether READ is granted on {@code key} (empty {@code rangeEnd}) or on the range {@code [key, rangeEnd)}. */
    public boolean canRead(byte[] key, byte[] rangeEnd) {
        return covers(read, key, rangeEnd);
    }

    /** Whether WRITE is granted, as {@link #canRead}. */
    public boolean canWrite(byte[] key, byte[] rangeEnd) {
        return covers(write, key, rangeEnd);
    }

    private static boolean isOpenEnded(byte[] rangeEnd) {
        return rangeEnd.length == 1 && rangeEnd[0] == 0;
    }

    private static Interval interval(byte[] key, byte[] rangeEnd) {
        if (rangeEnd.length == 0) {
            return new Interval(key, pointEnd(key));
        }
        return new Interval(key, isOpenEnded(rangeEnd) ? null : rangeEnd);
    }

    private static byte[] pointEnd(byte[] key) {
        return Arrays.copyOf(key, key.length + 1);
    }

    /** Sorted, disjoint, non-touching intervals with the same union as {@code in}. */
    private static List<Interval> merge(List<Interval> in) {
        List<Interval> sorted = new ArrayList<>(in);
        sorted.removeIf(i -> i.end != null && Arrays.compareUnsigned(i.begin, i.end) >= 0);
        sorted.sort(BY_BEGIN);
        List<Interval> out = new ArrayList<>();
        for (Interval i : sorted) {
            Interval last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && (last.end == null || Arrays.compareUnsigned(i.begin, last.end) <= 0)) {
                out.set(out.size() - 1, new Interval(last.begin, maxEnd(last.end, i.end)));
            } else {
                out.add(i);
            }
        }
        return List.copyOf(out);
    }

    private static byte[] maxEnd(byte[] a, byte[] b) {
        if (a == null || b == null) {
            return null;
        }
        return Arrays.compareUnsigned(a, b) >= 0 ? a : b;
    }

    /**
     * Whether one interval of {@code merged} holds {@code key} and reaches {@code rangeEnd}: for one key its end
     * is {@code key\0}; a range ending at or before its key asks only for the key.
     */
    private static boolean covers(List<Interval> merged, byte[] key, byte[] rangeEnd) {
        byte[] end;
        if (rangeEnd.length == 0) {
            end = pointEnd(key);
        } else if (isOpenEnded(rangeEnd)) {
            end = null;
        } else {
            end = Arrays.compareUnsigned(rangeEnd, key) <= 0 ? pointEnd(key) : rangeEnd;
        }
        for (Interval i : merged) {
            if (Arrays.compareUnsigned(i.begin, key) > 0) {
                return false; // sorted: no later interval starts at or before key
            }
            if (i.end == null || (end != null && Arrays.compareUnsigned(i.end, end) >= 0)) {
                return true;
            }
            // i ends before what is asked; since intervals do not touch, no other one can continue it
        }
        return false;
    }
}
