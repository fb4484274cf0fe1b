package io.cairn.server.hostile;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Mutates protobuf wire bytes of a valid request into hostile ones, knowing the wire format (tag varints, the four
 * wire types, length prefixes) so that mutations reach past the first parse error: bit flips, truncation, random
 * bytes, length prefixes inflated to claim gigabytes, wire types confused, unknown fields, a field repeated
 * thousands of times, varints made huge or negative, two messages spliced. Pure: the same bytes and random
 * generator give the same result.
 */
public final class ProtoMutator {
    /** The mutation kinds, in the order {@link #mutate} picks them from. */
    public enum Kind {
        BIT_FLIP, TRUNCATE, INSERT_RANDOM, INFLATE_LENGTH, CONFUSE_TYPE, UNKNOWN_FIELD, HUGE_REPEATED, HUGE_VARINT,
        SPLICE, NESTED
    }

    /** One field as found in the bytes: [start, end) the whole field, value at [valueStart, end). */
    record Field(int start, int valueStart, int end, int number, int wireType) {
    }

    private ProtoMutator() {
    }

    /** Applies 1 to 3 mutations; {@code other} is a second valid message for splicing. */
    public static byte[] mutate(byte[] valid, byte[] other, SplittableRandom rnd, List<Kind> applied) {
        byte[] b = valid;
        int rounds = 1 + rnd.nextInt(3);
        for (int i = 0; i < rounds; i++) {
            Kind k = Kind.values()[rnd.nextInt(Kind.values().length)];
            applied.add(k);
            b = apply(k, b, other, rnd);
        }
        return b;
    }

    static byte[] apply(Kind k, byte[] b, byte[] other, SplittableRandom rnd) {
        return switch (k) {
            case BIT_FLIP -> bitFlip(b, rnd);
            case TRUNCATE -> b.length == 0 ? b : Arrays.copyOf(b, rnd.nextInt(b.length));
            case INSERT_RANDOM -> insert(b, rnd.nextInt(b.length + 1), randomBytes(rnd, 1 + rnd.nextInt(16)));
            case INFLATE_LENGTH -> inflateLength(b, rnd);
            case CONFUSE_TYPE -> confuseType(b, rnd);
            case UNKNOWN_FIELD -> insert(b, pickBoundary(b, rnd), unknownField(rnd));
            case HUGE_REPEATED -> hugeRepeated(b, rnd);
            case HUGE_VARINT -> hugeVarint(b, rnd);
            case SPLICE -> concat(b, other);
            case NESTED -> nested(b, other, rnd);
        };
    }

    /** The top-level fields of {@code b}; stops at the first byte that does not parse. */
    static List<Field> fields(byte[] b, int from, int to) {
        List<Field> out = new ArrayList<>();
        int[] pos = {from};
        while (pos[0] < to) {
            int start = pos[0];
            long tag = readVarint(b, pos, to);
            if (tag < 0 || tag >>> 3 == 0) {
                break;
            }
            int wt = (int) (tag & 7);
            int valueStart = pos[0];
            int end;
            switch (wt) {
                case 0 -> {
                    if (readVarint(b, pos, to) < 0 && pos[0] > to) {
                        return out;
                    }
                    end = pos[0];
                }
                case 1 -> end = valueStart + 8;
                case 5 -> end = valueStart + 4;
                case 2 -> {
                    long len = readVarint(b, pos, to);
                    if (len < 0 || len > to - pos[0]) { // (pos + len would overflow for 2^63 - 1)
                        return out;
                    }
                    end = (int) (pos[0] + len);
                }
                default -> {
                    return out;
                }
            }
            if (end > to) {
                break;
            }
            out.add(new Field(start, valueStart, end, (int) (tag >>> 3), wt));
            pos[0] = end;
        }
        return out;
    }

    private static byte[] bitFlip(byte[] b, SplittableRandom rnd) {
        if (b.length == 0) {
            return new byte[] {(byte) rnd.nextInt(256)};
        }
        byte[] c = b.clone();
        int flips = 1 + rnd.nextInt(4);
        for (int i = 0; i < flips; i++) {
            int at = rnd.nextInt(c.length);
            c[at] ^= (byte) (1 << rnd.nextInt(8));
        }
        return c;
    }

    /** Rewrites one length prefix to claim far more bytes than follow (up to 2^63 - 1). */
    private static byte[] inflateLength(byte[] b, SplittableRandom rnd) {
        List<Field> delimited = fields(b, 0, b.length).stream().filter(f -> f.wireType() == 2).toList();
        if (delimited.isEmpty()) {
            return concat(b, concat(varint(rnd.nextInt(1, 30) << 3 | 2), varint(hugeLength(rnd))));
        }
        Field f = delimited.get(rnd.nextInt(delimited.size()));
        int[] pos = {f.valueStart()};
        readVarint(b, pos, b.length);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(b, 0, f.valueStart());
        o.writeBytes(varint(hugeLength(rnd)));
        o.write(b, pos[0], b.length - pos[0]);
        return o.toByteArray();
    }

    private static long hugeLength(SplittableRandom rnd) {
        long[] lengths = {0x7fffffffL, 0xffffffffL, 1L << 31, 1L << 40, Long.MAX_VALUE, 3L << 30, 1 << 24};
        return lengths[rnd.nextInt(lengths.length)];
    }

    /** Keeps a field's number and bytes but gives it another wire type (including the group types 3 and 4). */
    private static byte[] confuseType(byte[] b, SplittableRandom rnd) {
        List<Field> fs = fields(b, 0, b.length);
        if (fs.isEmpty()) {
            return bitFlip(b, rnd);
        }
        Field f = fs.get(rnd.nextInt(fs.size()));
        int wt = (f.wireType() + 1 + rnd.nextInt(5)) % 6;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(b, 0, f.start());
        o.writeBytes(varint((long) f.number() << 3 | wt));
        o.write(b, f.valueStart(), b.length - f.valueStart());
        return o.toByteArray();
    }

    private static byte[] unknownField(SplittableRandom rnd) {
        int[] numbers = {100, 1000, 19000, 536870911, 15, 16};
        long number = numbers[rnd.nextInt(numbers.length)];
        int wt = new int[] {0, 1, 2, 5}[rnd.nextInt(4)];
        byte[] value = switch (wt) {
            case 0 -> varint(rnd.nextLong());
            case 1 -> randomBytes(rnd, 8);
            case 5 -> randomBytes(rnd, 4);
            default -> {
                byte[] v = randomBytes(rnd, rnd.nextInt(64));
                yield concat(varint(v.length), v);
            }
        };
        return concat(varint(number << 3 | wt), value);
    }

    /**
     * Repeats one field 500 to 5,000 times (repeated ops, compares, filters; a scalar's last value wins), up to
     * {@link JsonMutator#MAX_BODY_BYTES} in all.
     */
    private static byte[] hugeRepeated(byte[] b, SplittableRandom rnd) {
        List<Field> fs = fields(b, 0, b.length);
        if (fs.isEmpty()) {
            return b;
        }
        Field f = fs.get(rnd.nextInt(fs.size()));
        int times = Math.min(500 + rnd.nextInt(4500), JsonMutator.MAX_BODY_BYTES / (f.end() - f.start()));
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(b, 0, b.length);
        for (int i = 0; i < times; i++) {
            o.write(b, f.start(), f.end() - f.start());
        }
        return o.toByteArray();
    }

    /** Replaces a varint field's value with an extreme (negative as 10 bytes, max, an over-long encoding). */
    private static byte[] hugeVarint(byte[] b, SplittableRandom rnd) {
        List<Field> varints = fields(b, 0, b.length).stream().filter(f -> f.wireType() == 0).toList();
        long[] extremes = {-1, Long.MIN_VALUE, Long.MAX_VALUE, 0xffffffffL, Integer.MIN_VALUE, 1L << 53};
        long v = extremes[rnd.nextInt(extremes.length)];
        if (varints.isEmpty()) {
            return concat(b, concat(varint((long) (1 + rnd.nextInt(12)) << 3), varint(v)));
        }
        Field f = varints.get(rnd.nextInt(varints.size()));
        byte[] encoded = rnd.nextInt(4) == 0 ? new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
            (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01} : varint(v);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(b, 0, f.valueStart());
        o.writeBytes(encoded);
        o.write(b, f.end(), b.length - f.end());
        return o.toByteArray();
    }

    /** Mutates inside one length-delimited field (a nested message) and fixes its length prefix. */
    private static byte[] nested(byte[] b, byte[] other, SplittableRandom rnd) {
        List<Field> delimited = fields(b, 0, b.length).stream().filter(f -> f.wireType() == 2).toList();
        if (delimited.isEmpty()) {
            return bitFlip(b, rnd);
        }
        Field f = delimited.get(rnd.nextInt(delimited.size()));
        int[] pos = {f.valueStart()};
        readVarint(b, pos, b.length);
        byte[] inner = Arrays.copyOfRange(b, pos[0], f.end());
        Kind k = Kind.values()[rnd.nextInt(Kind.values().length - 1)];
        byte[] mutated = apply(k, inner, other, rnd);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(b, 0, f.valueStart());
        o.writeBytes(varint(mutated.length));
        o.writeBytes(mutated);
        o.write(b, f.end(), b.length - f.end());
        return o.toByteArray();
    }

    private static int pickBoundary(byte[] b, SplittableRandom rnd) {
        List<Field> fs = fields(b, 0, b.length);
        if (fs.isEmpty()) {
            return b.length;
        }
        int i = rnd.nextInt(fs.size() + 1);
        return i == fs.size() ? b.length : fs.get(i).start();
    }

    /** Protobuf varint encoding of {@code v} (negative values take 10 bytes). */
    public static byte[] varint(long v) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        while ((v & ~0x7fL) != 0) {
            o.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        o.write((int) v);
        return o.toByteArray();
    }

    /** Reads a varint at pos[0]; -1 (with pos past {@code to}) when it runs off the end or is longer than 10 bytes. */
    static long readVarint(byte[] b, int[] pos, int to) {
        long v = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (pos[0] >= to) {
                pos[0] = to + 1;
                return -1;
            }
            int x = b[pos[0]++] & 0xff;
            v |= (long) (x & 0x7f) << shift;
            if ((x & 0x80) == 0) {
                return v & Long.MAX_VALUE;
            }
        }
        pos[0] = to + 1;
        return -1;
    }

    static byte[] randomBytes(SplittableRandom rnd, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) rnd.nextInt(256);
        }
        return b;
    }

    static byte[] insert(byte[] b, int at, byte[] what) {
        byte[] c = new byte[b.length + what.length];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(what, 0, c, at, what.length);
        System.arraycopy(b, at, c, at + what.length, b.length - at);
        return c;
    }

    public static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
