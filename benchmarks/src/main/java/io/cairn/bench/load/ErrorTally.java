package io.cairn.bench.load;

import io.grpc.Status;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Failed requests counted by gRPC status code, with the first description seen for each code. Thread-safe. */
public final class ErrorTally {
    private final Map<Status.Code, LongAdder> counts = new ConcurrentHashMap<>();
    private final Map<Status.Code, String> examples = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();

    /** Counts {@code status}, which must not be OK. */
    public void record(Status status) {
        if (status.isOk()) {
            throw new IllegalArgumentException("OK is not an error");
        }
        counts.computeIfAbsent(status.getCode(), c -> new LongAdder()).increment();
        examples.putIfAbsent(status.getCode(), describe(status));
        total.increment();
    }

    public long total() {
        return total.sum();
    }

    /** The counts, largest first (ties by code name). */
    public List<ErrorCount> snapshot() {
        return counts.entrySet().stream()
            .map(e -> new ErrorCount(e.getKey().name(), e.getValue().sum(), examples.getOrDefault(e.getKey(), "")))
            .sorted(Comparator.comparingLong(ErrorCount::count).reversed().thenComparing(ErrorCount::code))
            .toList();
    }

    private static String describe(Status status) {
        if (status.getDescription() != null) {
            return status.getDescription();
        }
        Throwable cause = status.getCause();
        return cause == null ? "" : cause.toString();
    }

    /**
     * Requests that failed with one gRPC status code.
     *
     * @param code {@link Status.Code} name, e.g. {@code UNAVAILABLE}
     * @param example the first failure's description, e.g. {@code etcdserver: too many requests}
     */
    public record ErrorCount(String code, long count, String example) {
    }
}
