package io.cairn.server.rpc;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a byte stream of whitespace-separated JSON objects ({@code {...} {...}}) into one string per object, as Go's
 * {@code json.Decoder} reads grpc-gateway's streaming request bodies. Only the nesting is tracked (strings and their
 * escapes included); each object's content is checked by whoever parses it. Not thread-safe.
 */
final class JsonObjects {
    private final int maxObjectBytes;
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();
    private int depth;
    private boolean inString;
    private boolean escaped;

    /**
     * The top-level objects of a whole {@code body}, in order; empty for a blank body.
     *
     * @throws IllegalArgumentException when something other than an object is at the top level, or the body ends
     *     inside an object
     */
    static List<String> split(String body) {
        JsonObjects objects = new JsonObjects(Integer.MAX_VALUE);
        List<String> out = objects.feed(body.getBytes(StandardCharsets.UTF_8));
        if (objects.hasPartial()) {
            throw new IllegalArgumentException("unexpected EOF");
        }
        return out;
    }

    /** @param maxObjectBytes the longest object accepted, in bytes */
    JsonObjects(int maxObjectBytes) {
        if (maxObjectBytes <= 0) {
            throw new IllegalArgumentException("maxObjectBytes must be positive: " + maxObjectBytes);
        }
        this.maxObjectBytes = maxObjectBytes;
    }

    /**
     * The objects that {@code chunk} completes, in order; an unfinished one is kept for the next chunk.
     *
     * @throws IllegalArgumentException when something other than an object starts at the top level, or an object
     *     grows past the limit
     */
    List<String> feed(byte[] chunk) {
        List<String> out = new ArrayList<>();
        for (byte b : chunk) {
            if (depth == 0 && current.size() == 0) {
                if (b == ' ' || b == '\t' || b == '\n' || b == '\r') {
                    continue;
                }
                if (b != '{') {
                    throw new IllegalArgumentException("invalid character '" + (char) (b & 0xff)
                        + "' looking for beginning of object");
                }
            }
            current.write(b);
            if (current.size() > maxObjectBytes) {
                throw new IllegalArgumentException("request is larger than " + maxObjectBytes + " bytes");
            }
            if (step(b)) {
                out.add(current.toString(StandardCharsets.UTF_8));
                current.reset();
            }
        }
        return out;
    }

    /** Tracks one byte of an object; true when it closes the object. */
    private boolean step(byte b) {
        if (inString) {
            if (escaped) {
                escaped = false;
            } else if (b == '\\') {
                escaped = true;
            } else if (b == '"') {
                inString = false;
            }
            return false;
        }
        switch (b) {
            case '"' -> inString = true;
            case '{', '[' -> depth++;
            case '}', ']' -> depth--;
            default -> {
            }
        }
        return depth == 0;
    }

    /** True when an object has started and not ended (the stream stopped in the middle of one). */
    boolean hasPartial() {
        return current.size() > 0;
    }
}
