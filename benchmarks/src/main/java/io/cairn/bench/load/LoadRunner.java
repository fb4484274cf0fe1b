package io.cairn.bench.load;

import io.grpc.Channel;
import io.grpc.Status;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Runs one put/range/txn-put load: {@code clients} clients, client {@code i} on {@code channels[i % conns]}, each
 * with exactly one request in flight. A client takes the next ticket from a shared counter when its previous request
 * completes (on the gRPC callback thread), until {@code total} tickets are out; with {@code --rate} it waits for its
 * {@link RateLimiter} slot on a scheduler thread instead of blocking. The calling thread only waits for the end and
 * prints progress every {@code progressInterval}.
 */
public final class LoadRunner {
    private final LoadOptions options;
    private final Workload workload;
    private final List<? extends Channel> channels;
    private final LongSupplier clock;
    private final PrintStream progressOut;
    private final Duration progressInterval;

    private final AtomicLong tickets = new AtomicLong();
    private final AtomicInteger clientsRunning = new AtomicInteger();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final LatencyRecorder latencies = new LatencyRecorder();
    private final ErrorTally errors = new ErrorTally();
    private final LongAdder completed = new LongAdder();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile long endNanos;
    private RateLimiter limiter;
    private ScheduledExecutorService scheduler;

    public LoadRunner(LoadOptions options, Workload workload, List<? extends Channel> channels, LongSupplier clock,
                      PrintStream progressOut, Duration progressInterval) {
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("no channels");
        }
        this.options = options;
        this.workload = workload;
        this.channels = List.copyOf(channels);
        this.clock = clock;
        this.progressOut = progressOut;
        this.progressInterval = progressInterval;
    }

    /** Sends the load and returns its stats; can be called once. */
    public LoadStats run() throws InterruptedException {
        int clients = options.client().clients();
        if (options.ratePerSecond() > 0) {
            limiter = new RateLimiter(options.ratePerSecond());
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "cairn-bench-rate"));
        }
        Progress progress = new Progress(progressOut, options.output().label(), options.command().cliName(),
            options.total(), clock);
        clientsRunning.set(clients);
        long startNanos = clock.getAsLong();
        try {
            for (int i = 0; i < clients; i++) {
                Channel channel = channels.get(i % channels.size());
                next(channel);
            }
            while (!finished.await(progressInterval.toNanos(), TimeUnit.NANOSECONDS)) {
                progress.tick(completed.sum(), errors.total());
            }
        } finally {
            if (scheduler != null) {
                scheduler.shutdownNow();
            }
        }
        progress.tick(completed.sum(), errors.total());
        return ReportMath.stats(options.command().cliName(), options.output().label(), endNanos - startNanos,
            latencies.snapshot(), errors.snapshot());
    }

    /** The most requests that were in flight at once; at most {@code clients} by construction. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    /** A client's loop step: take a ticket, wait for its rate slot if any, start the request or stop. */
    private void next(Channel channel) {
        while (true) {
            long ticket = tickets.getAndIncrement();
            if (ticket >= options.total()) {
                clientDone();
                return;
            }
            long delayNanos = limiter == null ? 0 : limiter.reserve(clock.getAsLong());
            if (delayNanos > 0) {
                scheduler.schedule(() -> startOrContinue(ticket, channel), delayNanos, TimeUnit.NANOSECONDS);
                return;
            }
            if (start(ticket, channel)) {
                return;
            }
        }
    }

    private void startOrContinue(long ticket, Channel channel) {
        if (!start(ticket, channel)) {
            next(channel);
        }
    }

    /** Starts one request; false if it failed before going out (then it is already counted). */
    private boolean start(long ticket, Channel channel) {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        long startNanos = clock.getAsLong();
        try {
            workload.start(ticket, channel, status -> {
                completed(status, clock.getAsLong() - startNanos);
                next(channel);
            });
            return true;
        } catch (RuntimeException e) {
            completed(Status.fromThrowable(e), 0);
            return false;
        }
    }

    private void completed(Status status, long latencyNanos) {
        inFlight.decrementAndGet();
        if (status.isOk()) {
            latencies.record(latencyNanos);
        } else {
            errors.record(status);
        }
        completed.increment();
    }

    private void clientDone() {
        if (clientsRunning.decrementAndGet() == 0) {
            endNanos = clock.getAsLong();
            finished.countDown();
        }
    }

    static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
