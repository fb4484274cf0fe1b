package io.cairn.server.rpc;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a body holding several JSON objects one after the other ({@code {"ID":"1"} {"ID":"2"}}, with or without
 * whitespace or newlines between them), as Go's {@code json.Decoder} reads a stream of values, into one string per
 * object. Only tells objects apart (braces outside strings); each object is parsed by the caller.
 */
final class JsonObjects {
    private JsonObjects() {
    }

    /**
     * The top-level objects of {@code body}, in order; empty for a blank body.
     *
     * @throws IllegalArgumentException when something other than an object is at the top level, or an object is
     *     not closed
     */
    static List<String> split(String body) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = -1;
        boolean inString = false;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{') {
                if (depth++ == 0) {
                    start = i;
                }
            } else if (c == '}') {
                if (--depth == 0) {
                    out.add(body.substring(start, i + 1));
                } else if (depth < 0) {
                    throw new IllegalArgumentException("unexpected '}' at offset " + i);
                }
            } else if (depth == 0 && !Character.isWhitespace(c)) {
                throw new IllegalArgumentException("invalid character '" + c + "' looking for beginning of value");
            }
        }
        if (depth != 0 || inString) {
            throw new IllegalArgumentException("unexpected EOF");
        }
        return out;
    }
}
