package io.cairn.server.hostile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Mutates a valid JSON gateway request body into hostile ones: values of the wrong type, invalid base64, unknown
 * fields, enum names and numbers out of range, numbers beyond 64 bits, deep nesting, huge arrays and strings, and
 * plain text damage (truncation, flipped characters, invalid UTF-8, duplicate keys). Pure: the same text and random
 * generator give the same result.
 */
public final class JsonMutator {
    /** The mutation kinds, in the order {@link #mutate} picks them from. */
    public enum Kind {
        WRONG_TYPE, BAD_BASE64, UNKNOWN_FIELD, BAD_ENUM, HUGE_NUMBER, DEEP_NEST, HUGE_ARRAY, HUGE_STRING, TRUNCATE,
        CHAR_FLIP, INVALID_UTF8, DUPLICATE_KEY
    }

    /** Mutations stop growing a body past this (twice the gateway's limit with etcd's defaults). */
    static final int MAX_BODY_BYTES = 8 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Characters a flip writes: JSON's structure, escapes, digits, letters, a space, DEL. */
    private static final String FLIPS = "{}[]\":,\\0aZ- \u007f";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonMutator() {
    }

    /** Applies 1 or 2 mutations to {@code valid} (an object). */
    public static byte[] mutate(String valid, SplittableRandom rnd, List<Kind> applied) {
        byte[] b = valid.getBytes(StandardCharsets.UTF_8);
        int rounds = 1 + rnd.nextInt(2);
        for (int i = 0; i < rounds; i++) {
            Kind k = Kind.values()[rnd.nextInt(Kind.values().length)];
            applied.add(k);
            b = apply(k, b, rnd);
        }
        return b;
    }

    static byte[] apply(Kind k, byte[] body, SplittableRandom rnd) {
        return switch (k) {
            case TRUNCATE -> java.util.Arrays.copyOf(body, body.length == 0 ? 0 : rnd.nextInt(body.length));
            case CHAR_FLIP -> charFlip(body, rnd);
            case INVALID_UTF8 -> ProtoMutator.insert(body, rnd.nextInt(body.length + 1),
                new byte[] {(byte) 0xc3, (byte) 0x28, (byte) 0xff, (byte) 0xed, (byte) 0xa0, (byte) 0x80});
            case DEEP_NEST -> deepNest(body, rnd);
            default -> tree(k, body, rnd);
        };
    }

    /** Structural mutations: parse, change one value, print; text that no longer parses gets a flipped char. */
    private static byte[] tree(Kind k, byte[] body, SplittableRandom rnd) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (java.io.IOException e) {
            return charFlip(body, rnd);
        }
        if (!(root instanceof ObjectNode obj)) {
            return charFlip(body, rnd);
        }
        Slot slot = pickSlot(obj, rnd);
        switch (k) {
            case WRONG_TYPE -> slot.set(wrongType(slot.get(), rnd));
            case BAD_BASE64 -> slot.set(NODES.textNode(new String[] {"!!!", "Zm9", "====", "Zm9v\n", "\u00e9t\u00e9",
                "Zm9v====", "-_-_"}[rnd.nextInt(7)]));
            case UNKNOWN_FIELD -> obj.set("zz_unknown_" + rnd.nextInt(100), wrongType(NODES.nullNode(), rnd));
            case BAD_ENUM -> slot.set(rnd.nextBoolean() ? NODES.textNode("NOT_AN_ENUM_" + rnd.nextInt(10))
                : NODES.numberNode(new int[] {-1, 99, Integer.MAX_VALUE, 7}[rnd.nextInt(4)]));
            case HUGE_NUMBER -> slot.set(NODES.textNode(new String[] {"99999999999999999999999", "-1",
                "9223372036854775808", "-9223372036854775809", "1e999", "0x10", "1.5", "NaN"}[rnd.nextInt(8)]));
            case HUGE_ARRAY -> {
                ArrayNode a = NODES.arrayNode();
                JsonNode element = slot.get() == null ? NODES.objectNode() : slot.get();
                int n = Math.min(500 + rnd.nextInt(4500), MAX_BODY_BYTES / Math.max(1, element.toString().length()));
                for (int i = 0; i < n; i++) {
                    a.add(element.deepCopy());
                }
                slot.set(a);
            }
            case HUGE_STRING -> slot.set(NODES.textNode("A".repeat((1 << 20) + rnd.nextInt(3 << 20))));
            case DUPLICATE_KEY -> {
                String text = obj.toString();
                return (text.substring(0, text.length() - 1) + (obj.isEmpty() ? "" : ",")
                    + "\"key\":\"ZHVw\",\"key\":123}").getBytes(StandardCharsets.UTF_8);
            }
            default -> throw new IllegalArgumentException(k.toString());
        }
        try {
            return JSON.writeValueAsBytes(obj);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode wrongType(JsonNode current, SplittableRandom rnd) {
        JsonNode[] choices = {NODES.numberNode(rnd.nextLong()), NODES.textNode("x" + rnd.nextInt()),
            NODES.booleanNode(rnd.nextBoolean()), NODES.nullNode(), NODES.arrayNode().add(1).add("a"),
            NODES.objectNode().put("a", 1), NODES.numberNode(1.5e300), NODES.textNode("")};
        JsonNode pick = choices[rnd.nextInt(choices.length)];
        return current != null && pick.getNodeType() == current.getNodeType() ? NODES.nullNode() : pick;
    }

    /** Wraps the value of some field, or the whole body, in 10 to 200,000 levels of arrays or objects. */
    private static byte[] deepNest(byte[] body, SplittableRandom rnd) {
        int depth = new int[] {10, 64, 101, 1000, 5000, 200_000}[rnd.nextInt(6)];
        boolean arrays = rnd.nextBoolean();
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        String open = arrays ? "[" : "{\"a\":";
        String close = arrays ? "]" : "}";
        o.writeBytes("{\"key\":\"Zm9v\",\"range_end\":".getBytes(StandardCharsets.UTF_8));
        byte[] opens = open.repeat(depth).getBytes(StandardCharsets.UTF_8);
        o.writeBytes(opens);
        o.writeBytes(body);
        o.writeBytes(close.repeat(depth).getBytes(StandardCharsets.UTF_8));
        o.write('}');
        return o.toByteArray();
    }

    private static byte[] charFlip(byte[] body, SplittableRandom rnd) {
        if (body.length == 0) {
            return new byte[] {'{'};
        }
        byte[] c = body.clone();
        int flips = 1 + rnd.nextInt(3);
        for (int i = 0; i < flips; i++) {
            c[rnd.nextInt(c.length)] = (byte) FLIPS.charAt(rnd.nextInt(FLIPS.length()));
        }
        return c;
    }

    /** A place holding a value: a field of an object or an element of an array. */
    private record Slot(ContainerNode<?> parent, String field, int index) {
        JsonNode get() {
            return parent instanceof ObjectNode o ? o.get(field) : ((ArrayNode) parent).get(index);
        }

        void set(JsonNode v) {
            if (parent instanceof ObjectNode o) {
                o.set(field, v);
            } else {
                ((ArrayNode) parent).set(index, v);
            }
        }
    }

    /** A random value slot anywhere in the tree (descending into objects and arrays at random). */
    private static Slot pickSlot(ObjectNode root, SplittableRandom rnd) {
        ContainerNode<?> at = root;
        while (true) {
            List<Slot> slots = new ArrayList<>();
            if (at instanceof ObjectNode o) {
                for (Map.Entry<String, JsonNode> e : o.properties()) {
                    slots.add(new Slot(o, e.getKey(), -1));
                }
            } else {
                for (int i = 0; i < at.size(); i++) {
                    slots.add(new Slot(at, null, i));
                }
            }
            if (slots.isEmpty()) {
                return at instanceof ObjectNode o ? new Slot(o, "key", -1) : new Slot(root, "key", -1);
            }
            Slot s = slots.get(rnd.nextInt(slots.size()));
            JsonNode v = s.get();
            if (v instanceof ContainerNode<?> c && c.size() > 0 && rnd.nextInt(3) > 0) {
                at = c;
            } else {
                return s;
            }
        }
    }
}
