package io.cairn.bench.load;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * etcd benchmark's printed report ({@code pkg/report}): Summary, response time histogram, latency distribution, error
 * distribution, same labels and layout, so the two tools' outputs read side by side. Additions: a {@code Label:} line
 * when one was given, and a {@code Requests:} line with the succeeded/failed counts.
 */
public final class ReportText {
    private static final char BAR = '∎';
    private static final int BAR_WIDTH = 40;

    private ReportText() {
    }

    /** The report; {@code precise} is etcd's {@code --precise} ({@code %g} instead of {@code %4.4f}). */
    public static String format(LoadStats s, boolean precise) {
        StringBuilder out = new StringBuilder();
        if (s.succeeded() > 0) {
            summary(out, s, precise);
            histogram(out, s, precise);
            latencies(out, s);
        } else {
            out.append(String.format(Locale.ROOT, "%nSummary:%n  Total:\t%s.%n", seconds(s.totalSeconds(), precise)));
            out.append(String.format(Locale.ROOT, "  Requests:\t0 succeeded, %d failed.%n", s.failed()));
        }
        if (!s.errors().isEmpty()) {
            out.append(String.format(Locale.ROOT, "%nError distribution:%n"));
            for (ErrorTally.ErrorCount e : s.errors()) {
                out.append(String.format(Locale.ROOT, "  [%d]\t%s: %s%n", e.count(), e.code(), e.example()));
            }
        }
        return out.toString();
    }

    private static void summary(StringBuilder out, LoadStats s, boolean precise) {
        LoadStats.Latency l = s.latency();
        out.append(String.format(Locale.ROOT, "%nSummary:%n"));
        if (!s.label().isEmpty()) {
            out.append(String.format(Locale.ROOT, "  Label:\t%s (%s)%n", s.label(), s.operation()));
        }
        out.append(String.format(Locale.ROOT, "  Total:\t%s.%n", seconds(s.totalSeconds(), precise)));
        out.append(String.format(Locale.ROOT, "  Slowest:\t%s.%n", seconds(l.slowestSeconds(), precise)));
        out.append(String.format(Locale.ROOT, "  Fastest:\t%s.%n", seconds(l.fastestSeconds(), precise)));
        out.append(String.format(Locale.ROOT, "  Average:\t%s.%n", seconds(l.averageSeconds(), precise)));
        out.append(String.format(Locale.ROOT, "  Stddev:\t%s.%n", seconds(l.stddevSeconds(), precise)));
        out.append(String.format(Locale.ROOT, "  Requests/sec:\t%s%n", number(s.requestsPerSecond(), precise)));
        out.append(String.format(Locale.ROOT, "  Requests:\t%d succeeded, %d failed.%n", s.succeeded(), s.failed()));
    }

    private static void histogram(StringBuilder out, LoadStats s, boolean precise) {
        long max = s.latency().histogram().stream().mapToLong(LoadStats.Bucket::count).max().orElse(0);
        out.append(String.format(Locale.ROOT, "%nResponse time histogram:%n"));
        for (LoadStats.Bucket b : s.latency().histogram()) {
            int bar = max == 0 ? 0 : (int) (b.count() * BAR_WIDTH / max);
            out.append(String.format(Locale.ROOT, "  %s [%d]\t|%s%n", number(b.upperSeconds(), precise), b.count(),
                String.valueOf(BAR).repeat(bar)));
        }
    }

    private static void latencies(StringBuilder out, LoadStats s) {
        out.append(String.format(Locale.ROOT, "%nLatency distribution:%n"));
        for (int i = 0; i < LoadStats.PERCENTILES.size(); i++) {
            double v = s.latency().percentiles().get(i);
            if (v > 0) {
                out.append(String.format(Locale.ROOT, "  %s%% in %.3f ms.%n",
                    percent(LoadStats.PERCENTILES.get(i)), v * 1000));
            }
        }
    }

    /** Go's {@code %v} of a float64 percentile: {@code 10}, {@code 99.9}. */
    static String percent(double p) {
        return BigDecimal.valueOf(p).stripTrailingZeros().toPlainString();
    }

    private static String seconds(double s, boolean precise) {
        return number(s, precise) + " secs";
    }

    /** etcd's {@code %4.4f}, or {@code %g} with {@code --precise} (Go's shortest repr; Java's {@code toString}). */
    static String number(double v, boolean precise) {
        return precise ? Double.toString(v) : String.format(Locale.ROOT, "%4.4f", v);
    }
}
