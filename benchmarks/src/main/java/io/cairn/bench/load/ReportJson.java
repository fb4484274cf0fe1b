package io.cairn.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code --json FILE}: one run's summary as a JSON object. Latencies in milliseconds ({@code _ms}), the total in
 * seconds; {@code errors} maps a gRPC status code to its count and first message; {@code options} (file only) are
 * the run's flags. Example:
 * <pre>{@code
 * {"label":"cairn","operation":"put","total_seconds":1.9,"succeeded":2000,"failed":0,"requests_per_sec":1052.6,
 *  "fastest_ms":0.4,"slowest_ms":31.2,"average_ms":4.7,"stddev_ms":3.1,
 *  "percentiles_ms":{"10":1.2,…,"99.9":30.9},"histogram":[{"le_ms":0.4,"count":1},…],"errors":{},
 *  "options":{"endpoints":["127.0.0.1:2379"],"conns":10,"clients":50,"total":2000,…}}
 * }</pre>
 */
public final class ReportJson {
    private ReportJson() {
    }

    /** Writes {@link #toJson} plus an {@code options} object with the run's flags. */
    public static void write(Path file, LoadOptions options, LoadStats s) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        String json = toJson(s);
        Files.writeString(file, json.substring(0, json.length() - 1) + ",\"options\":" + options(options) + "}\n",
            StandardCharsets.UTF_8);
    }

    static String options(LoadOptions o) {
        KeySpace k = o.keys();
        return "{\"endpoints\":[" + o.client().endpoints().stream().map(ReportJson::string)
            .collect(Collectors.joining(",")) + "],\"conns\":" + o.client().conns() + ",\"clients\":"
            + o.client().clients() + ",\"total\":" + o.total() + ",\"rate\":" + o.ratePerSecond()
            + ",\"key_size\":" + k.keySizeBytes() + ",\"val_size\":" + k.valSizeBytes() + ",\"key_space_size\":"
            + k.keySpaceSize() + ",\"sequential_keys\":" + k.sequential() + ",\"txn_ops\":" + o.txnOps()
            + ",\"serializable\":" + o.range().map(RangeTarget::serializable).orElse(false) + "}";
    }

    public static String toJson(LoadStats s) {
        LoadStats.Latency l = s.latency();
        StringBuilder out = new StringBuilder("{");
        out.append("\"label\":").append(string(s.label()));
        out.append(",\"operation\":").append(string(s.operation()));
        out.append(",\"total_seconds\":").append(number(s.totalSeconds()));
        out.append(",\"succeeded\":").append(s.succeeded());
        out.append(",\"failed\":").append(s.failed());
        out.append(",\"requests_per_sec\":").append(number(s.requestsPerSecond()));
        out.append(",\"fastest_ms\":").append(number(l.fastestSeconds() * 1000));
        out.append(",\"slowest_ms\":").append(number(l.slowestSeconds() * 1000));
        out.append(",\"average_ms\":").append(number(l.averageSeconds() * 1000));
        out.append(",\"stddev_ms\":").append(number(l.stddevSeconds() * 1000));
        out.append(",\"percentiles_ms\":{");
        for (int i = 0; i < LoadStats.PERCENTILES.size(); i++) {
            out.append(i == 0 ? "" : ",").append(string(ReportText.percent(LoadStats.PERCENTILES.get(i))))
                .append(':').append(number(l.percentiles().get(i) * 1000));
        }
        out.append("},\"histogram\":[");
        out.append(l.histogram().stream().map(b -> "{\"le_ms\":" + number(b.upperSeconds() * 1000) + ",\"count\":"
            + b.count() + "}").collect(Collectors.joining(",")));
        out.append("],\"errors\":{");
        out.append(errors(s.errors()));
        return out.append("}}").toString();
    }

    private static String errors(List<ErrorTally.ErrorCount> errors) {
        return errors.stream().map(e -> string(e.code()) + ":{\"count\":" + e.count() + ",\"example\":"
            + string(e.example()) + "}").collect(Collectors.joining(","));
    }

    private static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "null";
        }
        return String.format(Locale.ROOT, "%.6f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    static String string(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c < 0x20 ? String.format(Locale.ROOT, "\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }
}
