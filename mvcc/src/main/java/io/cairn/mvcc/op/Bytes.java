package io.cairn.mvcc.op;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Small helpers for the byte arrays of requests: null-to-empty and a readable form for messages. */
final class Bytes {
    static final byte[] EMPTY = new byte[0];

    private Bytes() {
    }

    static byte[] orEmpty(byte[] b) {
        return b == null ? EMPTY : b;
    }

    /** Printable ASCII as a quoted string, anything else as hex. */
    static String show(byte[] b) {
        for (byte x : b) {
            if (x < 0x20 || x > 0x7e) {
                return "0x" + HexFormat.of().formatHex(b);
            }
        }
        return "\"" + new String(b, StandardCharsets.US_ASCII) + "\"";
    }
}
