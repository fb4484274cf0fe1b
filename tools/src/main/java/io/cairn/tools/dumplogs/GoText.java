package io.cairn.tools.dumplogs;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Optional;

/**
 * The text conventions etcd-dump-logs prints with, written for Java: Go's {@code %q} quoting, etcd's
 * {@code excerpt}, gogoproto's text-format byte strings, {@code types.ID} and {@code time.Time}.
 */
public final class GoText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final DateTimeFormatter GO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private GoText() {
    }

    /** Go's {@code strconv.Quote} of a byte string: printable runes as they are, invalid UTF-8 as \xNN. */
    static String quote(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length + 2).append('"');
        int i = 0;
        while (i < bytes.length) {
            int width = utf8Width(bytes, i);
            if (width == 0) {
                out.append("\\x").append(HEX[(bytes[i] >> 4) & 0xF]).append(HEX[bytes[i] & 0xF]);
                i++;
                continue;
            }
            int codePoint = new String(bytes, i, width, StandardCharsets.UTF_8).codePointAt(0);
            appendRune(out, codePoint);
            i += width;
        }
        return out.append('"').toString();
    }

    /** Go's {@code %q} of a string (snapshot errors quote paths and names with it, as etcdutl does). */
    public static String quote(String s) {
        return quote(s.getBytes(StandardCharsets.UTF_8));
    }

    /** etcd's {@code excerpt}: the whole string quoted, or its first and last bytes quoted around "...". */
    static String excerpt(byte[] bytes, int prefix, int suffix) {
        if (prefix + suffix > bytes.length) {
            return quote(bytes);
        }
        byte[] head = Arrays.copyOfRange(bytes, 0, prefix);
        byte[] tail = Arrays.copyOfRange(bytes, bytes.length - suffix, bytes.length);
        return quote(head) + "..." + quote(tail);
    }

    /** gogoproto's text format for bytes: C escapes for \n \r \t " \\, printable ASCII, else 3-digit octal. */
    static String protoBytes(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length + 2).append('"');
        for (byte b : bytes) {
            int c = b & 0xFF;
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c >= 0x20 && c < 0x7F) {
                        out.append((char) c);
                    } else {
                        out.append('\\').append((char) ('0' + (c >> 6))).append((char) ('0' + ((c >> 3) & 7)))
                            .append((char) ('0' + (c & 7)));
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** etcd's {@code types.ID}: lower-case hex without leading zeros. */
    static String id(long id) {
        return Long.toHexString(id);
    }

    /** Go's {@code time.Unix(0, nanos).UTC().String()}: "2006-01-02 15:04:05.999999999 +0000 UTC". */
    static String unixNanosUtc(long nanos) {
        Instant instant = Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos,
            1_000_000_000L));
        String fraction = "";
        if (instant.getNano() != 0) {
            fraction = String.format(".%09d", instant.getNano()).replaceAll("0+$", "");
        }
        return GO_TIME.format(instant.atOffset(ZoneOffset.UTC)) + fraction + " +0000 UTC";
    }

    /** The bytes as a string when they are valid UTF-8. */
    static Optional<String> utf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException notUtf8) {
            return Optional.empty();
        }
    }

    private static void appendRune(StringBuilder out, int r) {
        switch (r) {
            case '"' -> out.append("\\\"");
            case '\\' -> out.append("\\\\");
            case 0x07 -> out.append("\\a");
            case '\b' -> out.append("\\b");
            case '\f' -> out.append("\\f");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            case 0x0B -> out.append("\\v");
            default -> {
                if (isPrint(r)) {
                    out.appendCodePoint(r);
                } else if (r < 0x80) {
                    out.append("\\x").append(HEX[r >> 4]).append(HEX[r & 0xF]);
                } else if (r < 0x10000) {
                    out.append(String.format("\\u%04x", r));
                } else {
                    out.append(String.format("\\U%08x", r));
                }
            }
        }
    }

    /** Go's {@code unicode.IsPrint}: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    private static boolean isPrint(int r) {
        if (r == ' ') {
            return true;
        }
        return switch (Character.getType(r)) {
            case Character.CONTROL, Character.FORMAT, Character.UNASSIGNED, Character.SURROGATE,
                Character.PRIVATE_USE, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
    }

    /** Length of the valid UTF-8 sequence at {@code i}, or 0 when the byte there does not start one. */
    private static int utf8Width(byte[] b, int i) {
        int c = b[i] & 0xFF;
        int width;
        int min;
        if (c < 0x80) {
            return 1;
        } else if (c >= 0xC2 && c <= 0xDF) {
            width = 2;
            min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            width = 3;
            min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            width = 4;
            min = 0x10000;
        } else {
            return 0;
        }
        if (i + width > b.length) {
            return 0;
        }
        int cp = c & (0xFF >> (width + 1));
        for (int k = 1; k < width; k++) {
            int cont = b[i + k] & 0xFF;
            if ((cont & 0xC0) != 0x80) {
                return 0;
            }
            cp = (cp << 6) | (cont & 0x3F);
        }
        boolean surrogate = cp >= 0xD800 && cp <= 0xDFFF;
        return cp < min || cp > 0x10FFFF || surrogate ? 0 : width;
    }
}
