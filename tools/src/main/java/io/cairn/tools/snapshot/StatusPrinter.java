package io.cairn.tools.snapshot;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints a {@link SnapshotStatus} in etcdutl's {@code -w} formats, byte for byte: {@code simple}
 * ({@code 3317402a, 5, 8, 20 kB}), {@code table} (tablewriter: centred upper-case header, cells right-aligned),
 * {@code json} ({@code {"hash":857161770,"revision":5,"totalKey":8,"totalSize":20480}}) and {@code fields}.
 * Checked against etcdctl 3.4.23's {@code snapshot status} of a real etcd snapshot.
 */
enum StatusPrinter {
    SIMPLE {
        @Override
        void print(SnapshotStatus s, PrintWriter out) {
            out.println(String.join(", ", row(s)));
        }
    },
    TABLE {
        @Override
        void print(SnapshotStatus s, PrintWriter out) {
            List<String> row = row(s);
            int[] widths = new int[HEADER.size()];
            StringBuilder rule = new StringBuilder("+");
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(HEADER.get(i).length(), row.get(i).length());
                rule.append("-".repeat(widths[i] + 2)).append('+');
            }
            StringBuilder header = new StringBuilder("|");
            StringBuilder cells = new StringBuilder("|");
            for (int i = 0; i < widths.length; i++) {
                String title = HEADER.get(i).toUpperCase(Locale.ROOT);
                int gap = widths[i] - title.length();
                header.append(' ').append(" ".repeat(gap / 2)).append(title).append(" ".repeat(gap - gap / 2))
                    .append(" |");
                cells.append(' ').append(" ".repeat(widths[i] - row.get(i).length())).append(row.get(i)).append(" |");
            }
            out.println(rule);
            out.println(header);
            out.println(rule);
            out.println(cells);
            out.println(rule);
        }
    },
    JSON {
        @Override
        void print(SnapshotStatus s, PrintWriter out) {
            out.printf("{\"hash\":%d,\"revision\":%d,\"totalKey\":%d,\"totalSize\":%d}%n", s.hash(), s.revision(),
                s.totalKeys(), s.totalSizeBytes());
        }
    },
    FIELDS {
        @Override
        void print(SnapshotStatus s, PrintWriter out) {
            out.printf("\"Hash\" : %d%n\"Revision\" : %d%n\"Keys\" : %d%n\"Size\" : %d%n", s.hash(), s.revision(),
                s.totalKeys(), s.totalSizeBytes());
        }
    };

    private static final List<String> HEADER = List.of("hash", "revision", "total keys", "total size");
    private static final String[] SI_UNITS = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};

    abstract void print(SnapshotStatus status, PrintWriter out);

    /** etcdutl's {@code makeDBStatusTable} row: hash in hex, revision, keys, size as go-humanize prints it. */
    static List<String> row(SnapshotStatus s) {
        List<String> row = new ArrayList<>();
        row.add(Long.toHexString(s.hash()));
        row.add(Long.toString(s.revision()));
        row.add(Long.toString(s.totalKeys()));
        row.add(humanBytes(s.totalSizeBytes()));
        return row;
    }

    /**
     * go-humanize's {@code Bytes}: SI units, one decimal below 10 ({@code 2.1 MB}), none above ({@code 20 kB}),
     * rounded as Go formats floats (half to even on the exact binary value).
     */
    static String humanBytes(long bytes) {
        if (bytes < 10) {
            return bytes + " B";
        }
        int e = (int) Math.floor(StrictMath.log(bytes) / StrictMath.log(1000));
        double val = Math.floor(bytes / Math.pow(1000, e) * 10 + 0.5) / 10;
        int decimals = val < 10 ? 1 : 0;
        return new BigDecimal(val).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString() + " " + SI_UNITS[e];
    }
}
