package io.cairn.tools.dumplogs;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;

/**
 * A decoded request or conf change, independent of how it is printed: an operation ({@code put}, or null for
 * etcd's op-less forms such as {@code method=PUT path=...}) and fields in print order. {@link TextRenderer} and
 * {@link JsonRenderer} both print it, so text and JSON never disagree.
 *
 * <p>Field values are: {@link Long}, {@link Boolean}, {@link String} (quoted), {@link Bytes} (a key or value),
 * {@link Id} (a member, lease or cluster ID, hex), {@link Symbol} (an enum name or operator, bare), a nested
 * {@code Description}, or a {@link List} of those.
 */
record Description(String op, Style style, List<Field> fields) {

    /** How the text form is laid out. */
    enum Style {
        /** {@code op name=value ...}. */
        PLAIN,
        /** A txn comparison in etcdctl's syntax: {@code value("key") = "v"}. */
        COMPARE
    }

    record Field(String name, Object value) {
    }

    /** Bytes printed as etcd's excerpt (text) or a string (JSON, base64 when not UTF-8). */
    record Bytes(byte[] bytes, int prefix, int suffix) {
        static Bytes key(byte[] bytes) {
            return new Bytes(bytes, 64, 64);
        }
    }

    /** A 64-bit identifier, printed in hex like etcd's types.ID. */
    record Id(long id) {
    }

    /** Printed bare in text, as a string in JSON. */
    record Symbol(String name) {
    }

    static Builder of(String op) {
        return new Builder(op, Style.PLAIN);
    }

    static Builder compare(String target) {
        return new Builder(target, Style.COMPARE);
    }

    /** Collects fields; the {@code ...If} forms skip etcd's zero values. */
    static final class Builder {
        private final String op;
        private final Style style;
        private final List<Field> fields = new ArrayList<>();

        private Builder(String op, Style style) {
            this.op = op;
            this.style = style;
        }

        Builder add(String name, Object value) {
            fields.add(new Field(name, value));
            return this;
        }

        Builder addIf(boolean condition, String name, Object value) {
            return condition ? add(name, value) : this;
        }

        Builder key(String name, ByteString bytes) {
            return add(name, Bytes.key(bytes.toByteArray()));
        }

        Builder keyIfSet(String name, ByteString bytes) {
            return bytes.isEmpty() ? this : key(name, bytes);
        }

        Builder numberIfSet(String name, long value) {
            return value == 0 ? this : add(name, value);
        }

        Builder flag(String name, boolean value) {
            return value ? add(name, true) : this;
        }

        Builder listIfSet(String name, List<?> values) {
            return values.isEmpty() ? this : add(name, List.copyOf(values));
        }

        Description build() {
            return new Description(op, style, List.copyOf(fields));
        }
    }
}
