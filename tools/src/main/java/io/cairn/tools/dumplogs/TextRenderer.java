package io.cairn.tools.dumplogs;

import java.util.List;

/**
 * The text form of a {@link Description}: {@code op name=value ...}; strings and keys Go-quoted (keys shortened
 * like etcd's excerpt), IDs in hex, lists in brackets, nested op-less descriptions in braces, and comparisons in
 * etcdctl's txn syntax: {@code value("key") = "v"}, {@code mod("key") > 5}.
 */
final class TextRenderer {
    private TextRenderer() {
    }

    static String render(Description d) {
        StringBuilder out = new StringBuilder();
        append(out, d, false);
        return out.toString();
    }

    private static void append(StringBuilder out, Description d, boolean nested) {
        if (d.style() == Description.Style.COMPARE) {
            appendCompare(out, d);
            return;
        }
        boolean braces = nested && d.op() == null;
        out.append(braces ? "{" : "");
        boolean first = true;
        if (d.op() != null) {
            out.append(d.op());
            first = false;
        }
        for (Description.Field field : d.fields()) {
            out.append(first ? "" : " ").append(field.name()).append('=');
            appendValue(out, field.value());
            first = false;
        }
        out.append(braces ? "}" : "");
    }

    /** {@code target(key[, range_end]) result operand}. */
    private static void appendCompare(StringBuilder out, Description d) {
        List<Description.Field> fields = d.fields();
        out.append(d.op()).append('(');
        appendValue(out, fields.get(0).value());
        int next = 1;
        if (fields.get(next).name().equals("range_end")) {
            out.append(", ");
            appendValue(out, fields.get(next++).value());
        }
        out.append(") ");
        appendValue(out, fields.get(next++).value());
        out.append(' ');
        appendValue(out, fields.get(next).value());
    }

    private static void appendValue(StringBuilder out, Object value) {
        if (value instanceof String s) {
            out.append(GoText.quote(s));
        } else if (value instanceof Description.Bytes b) {
            out.append(GoText.excerpt(b.bytes(), b.prefix(), b.suffix()));
        } else if (value instanceof Description.Id id) {
            out.append(GoText.id(id.id()));
        } else if (value instanceof Description.Symbol s) {
            out.append(s.name());
        } else if (value instanceof Description d) {
            append(out, d, true);
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                out.append(i == 0 ? "" : ", ");
                appendValue(out, list.get(i));
            }
            out.append(']');
        } else {
            out.append(value);
        }
    }
}
