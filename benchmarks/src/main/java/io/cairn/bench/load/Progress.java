package io.cairn.bench.load;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The once-a-second progress line on stderr: {@code [label put] 5200/10000 done (52 %), 2580 req/s, 3 errors}. The
 * rate is over the interval since the previous line. Not thread-safe: one reporting thread calls {@link #tick}.
 */
final class Progress {
    private final PrintStream out;
    private final String name;
    private final long total;
    private final LongSupplier clock;
    private long lastDone;
    private long lastNanos;

    Progress(PrintStream out, String label, String operation, long total, LongSupplier clock) {
        this.out = out;
        this.name = label.isEmpty() ? operation : label + " " + operation;
        this.total = total;
        this.clock = clock;
        this.lastNanos = clock.getAsLong();
    }

    /** Prints one line for {@code done} requests finished so far, {@code errors} of them failed. */
    void tick(long done, long errors) {
        long now = clock.getAsLong();
        out.println(line(name, done, total, errors, rate(done - lastDone, now - lastNanos)));
        out.flush();
        lastDone = done;
        lastNanos = now;
    }

    static double rate(long requests, long nanos) {
        return nanos <= 0 ? 0 : requests * 1e9 / nanos;
    }

    static String line(String name, long done, long total, long errors, double ratePerSecond) {
        return String.format(Locale.ROOT, "[%s] %d/%d done (%d %%), %.0f req/s, %d errors", name, done, total,
            total == 0 ? 100 : done * 100 / total, ratePerSecond, errors);
    }
}
