package io.cairn.tools.dumplogs;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One-line JSON for {@link Description}s and plain maps: numbers as numbers, IDs as hex strings, byte strings as
 * strings when they are UTF-8 and as {@code <name>_base64} otherwise, so nothing is lost.
 */
final class JsonRenderer {
    private JsonRenderer() {
    }

    /** A map (insertion-ordered) of the value types of {@link Description} plus null, Integer and Map. */
    static String render(Map<String, ?> object) {
        StringBuilder out = new StringBuilder();
        appendObject(out, object.entrySet().stream().map(e -> new Description.Field(e.getKey(), e.getValue()))
            .toList(), null, null);
        return out.toString();
    }

    static String render(Description d) {
        StringBuilder out = new StringBuilder();
        appendDescription(out, d);
        return out.toString();
    }

    private static void appendDescription(StringBuilder out, Description d) {
        String opName = d.style() == Description.Style.COMPARE ? "target" : "op";
        appendObject(out, d.fields(), opName, d.op());
    }

    private static void appendObject(StringBuilder out, List<Description.Field> fields, String opName, String op) {
        out.append('{');
        boolean first = true;
        if (op != null) {
            appendString(out, opName);
            out.append(':');
            appendString(out, op);
            first = false;
        }
        for (Description.Field field : fields) {
            out.append(first ? "" : ",");
            String name = field.name();
            Object value = field.value();
            if (value instanceof Description.Bytes b) {
                Optional<String> text = GoText.utf8(b.bytes());
                name = text.isPresent() ? name : name + "_base64";
                value = text.orElseGet(() -> Base64.getEncoder().encodeToString(b.bytes()));
            }
            appendString(out, name);
            out.append(':');
            appendValue(out, value);
            first = false;
        }
        out.append('}');
    }

    @SuppressWarnings("unchecked")
    private static void appendValue(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            appendString(out, s);
        } else if (value instanceof Description.Bytes b) {
            appendString(out, GoText.utf8(b.bytes()).orElseGet(() -> Base64.getEncoder().encodeToString(b.bytes())));
        } else if (value instanceof Description.Id id) {
            appendString(out, GoText.id(id.id()));
        } else if (value instanceof Description.Symbol s) {
            appendString(out, s.name());
        } else if (value instanceof Description d) {
            appendDescription(out, d);
        } else if (value instanceof Map<?, ?> map) {
            out.append(render((Map<String, ?>) map));
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                out.append(i == 0 ? "" : ",");
                appendValue(out, list.get(i));
            }
            out.append(']');
        } else {
            out.append(value);
        }
    }

    private static void appendString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
