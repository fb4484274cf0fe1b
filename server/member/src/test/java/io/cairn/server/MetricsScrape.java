package io.cairn.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One scrape of {@code /metrics}, parsed from Prometheus text format 0.0.4: samples as name, labels and value.
 * Strict enough to fail on a malformed line.
 */
final class MetricsScrape {
    /** One sample line. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    final String contentType;
    final String text;
    final List<Sample> samples;

    private MetricsScrape(String contentType, String text, List<Sample> samples) {
        this.contentType = contentType;
        this.text = text;
        this.samples = samples;
    }

    static MetricsScrape of(String endpoint) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(endpoint
            + "/metrics")).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("/metrics answered " + r.statusCode() + ": " + r.body());
        }
        List<Sample> samples = new ArrayList<>();
        for (String line : r.body().split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                samples.add(parse(line));
            }
        }
        return new MetricsScrape(r.headers().firstValue("content-type").orElse(""), r.body(), samples);
    }

    private static Sample parse(String line) {
        int space = line.lastIndexOf(' ');
        String series = line.substring(0, space);
        double value = Double.parseDouble(line.substring(space + 1).replace("+Inf", "Infinity"));
        int brace = series.indexOf('{');
        if (brace < 0) {
            return new Sample(series, Map.of(), value);
        }
        Map<String, String> labels = new TreeMap<>();
        String body = series.substring(brace + 1, series.length() - 1);
        int i = 0;
        while (i < body.length()) {
            int eq = body.indexOf("=\"", i);
            int close = body.indexOf('"', eq + 2);
            labels.put(body.substring(i, eq), body.substring(eq + 2, close));
            i = close + 2; // skip '",'
        }
        return new Sample(series.substring(0, brace), labels, value);
    }

    /** The value of the sample named {@code name} with exactly these labels (pairs), if any. */
    Optional<Double> find(String name, String... labelPairs) {
        Map<String, String> wanted = new TreeMap<>();
        for (int i = 0; i < labelPairs.length; i += 2) {
            wanted.put(labelPairs[i], labelPairs[i + 1]);
        }
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(wanted))
            .map(Sample::value).findFirst();
    }

    /** Like {@link #find} but the sample must exist. */
    double value(String name, String... labelPairs) {
        return find(name, labelPairs).orElseThrow(() -> new AssertionError("no sample " + name + " "
            + List.of(labelPairs)));
    }

    /** Samples named {@code name}, any labels. */
    List<Sample> all(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }
}
