package io.cairn.bench.load;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.WatchCreateRequest;
import io.cairn.api.etcdserverpb.WatchGrpc;
import io.cairn.api.etcdserverpb.WatchRequest;
import io.cairn.api.etcdserverpb.WatchResponse;
import io.cairn.api.mvccpb.Event;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * etcd benchmark's {@code watch-latency}: {@code clients} watch streams on one key; {@code total} rounds, each one put
 * of that key (at most {@code --put-rate} per second) whose event every watcher must receive before the next round.
 * A watcher's latency is from the put's start to its event; puts go over the first connection. Each put's value
 * starts with its round number (8 bytes, big-endian), so a late event is never taken for the current round's. A round
 * whose events do not all arrive within {@code --request-timeout} (default {@link #DEFAULT_ROUND_TIMEOUT}) counts each
 * missing one as DEADLINE_EXCEEDED.
 * Rounds are started and finished on gRPC and scheduler threads; the calling thread only waits and prints progress.
 */
final class WatchLatency {
    static final Duration DEFAULT_ROUND_TIMEOUT = Duration.ofSeconds(10);
    static final int ROUND_BYTES = Long.BYTES;

    private final LoadOptions options;
    private final List<? extends Channel> channels;
    private final LongSupplier clock;
    private final PrintStream progressOut;
    private final Duration progressInterval;
    private final Duration roundTimeout;
    private final ByteString key;
    private final List<Watcher> watchers = new ArrayList<>();
    private final RateLimiter limiter;
    private final LatencyRecorder latencies = new LatencyRecorder();
    private final ErrorTally errors = new ErrorTally();
    private final RoundState rounds = new RoundState();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(r -> LoadRunner.daemon(r, "cairn-bench-watch"));

    WatchLatency(LoadOptions options, List<? extends Channel> channels, LongSupplier clock, PrintStream progressOut,
                 Duration progressInterval) {
        this.options = options;
        this.channels = List.copyOf(channels);
        this.clock = clock;
        this.progressOut = progressOut;
        this.progressInterval = progressInterval;
        Duration timeout = options.client().requestTimeout();
        this.roundTimeout = timeout.isZero() ? DEFAULT_ROUND_TIMEOUT : timeout;
        this.key = Workload.value(options.keys().keySizeBytes());
        this.limiter = new RateLimiter(options.ratePerSecond());
    }

    LoadStats run() throws InterruptedException {
        Progress progress = new Progress(progressOut, options.output().label(), options.command().cliName(),
            options.total(), clock);
        long startNanos = 0;
        try {
            openWatchers();
            startNanos = clock.getAsLong();
            scheduleRound(1);
            while (!finished.await(progressInterval.toNanos(), TimeUnit.NANOSECONDS)) {
                progress.tick(rounds.finished.get(), errors.total());
            }
            progress.tick(rounds.finished.get(), errors.total());
        } finally {
            scheduler.shutdownNow();
            watchers.forEach(Watcher::close);
        }
        return ReportMath.stats(options.command().cliName(), options.output().label(),
            rounds.endNanos - startNanos, latencies.snapshot(), errors.snapshot());
    }

    /** Opens every watch stream and waits (at most one round timeout) until each is created or failed. */
    private void openWatchers() throws InterruptedException {
        CountDownLatch created = new CountDownLatch(options.client().clients());
        WatchRequest create = WatchRequest.newBuilder()
            .setCreateRequest(WatchCreateRequest.newBuilder().setKey(key)).build();
        for (int i = 0; i < options.client().clients(); i++) {
            Watcher w = new Watcher(created);
            watchers.add(w);
            w.requests = WatchGrpc.newStub(channels.get(i % channels.size())).watch(w);
            w.requests.onNext(create);
        }
        if (!created.await(roundTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
            for (Watcher w : watchers) {
                if (!w.created.get()) {
                    w.fail(Status.DEADLINE_EXCEEDED.withDescription("watch not created within " + roundTimeout));
                }
            }
        }
    }

    private void scheduleRound(long round) {
        long delay = limiter.reserve(clock.getAsLong());
        scheduler.schedule(() -> startRound(round), delay, TimeUnit.NANOSECONDS);
    }

    private void startRound(long round) {
        rounds.startNanos = clock.getAsLong();
        rounds.pending.set(rounds.live.get() + 1);
        rounds.current.set(round);
        scheduler.schedule(() -> timeout(round), roundTimeout.toNanos(), TimeUnit.NANOSECONDS);
        byte[] value = new byte[options.keys().valSizeBytes()];
        ByteBuffer.wrap(value).putLong(round);
        PutRequest put = PutRequest.newBuilder().setKey(key).setValue(ByteString.copyFrom(value)).build();
        Workload.kv(channels.get(0), options.client().requestTimeout()).put(put, new Workload.Completion<>(s -> {
            if (s.isOk()) {
                arrive(round);
            } else {
                errors.record(s);
                finishRound(round);
            }
        }));
    }

    private void arrive(long round) {
        if (rounds.pending.decrementAndGet() == 0) {
            finishRound(round);
        }
    }

    private void timeout(long round) {
        if (rounds.finished.get() >= round) {
            return;
        }
        for (Watcher w : watchers) {
            if (!w.dead.get() && w.delivered.get() < round) {
                errors.record(Status.DEADLINE_EXCEEDED.withDescription("no watch event within " + roundTimeout));
            }
        }
        finishRound(round);
    }

    private void finishRound(long round) {
        if (!rounds.finished.compareAndSet(round - 1, round)) {
            return;
        }
        if (round >= options.total()) {
            rounds.endNanos = clock.getAsLong();
            finished.countDown();
        } else {
            scheduleRound(round + 1);
        }
    }

    /** Which round runs and how many arrivals (watcher events + the put's answer) it still waits for. */
    private static final class RoundState {
        final AtomicLong current = new AtomicLong();
        final AtomicLong finished = new AtomicLong();
        final AtomicInteger pending = new AtomicInteger();
        final AtomicInteger live = new AtomicInteger();
        volatile long startNanos;
        volatile long endNanos;
    }

    /** One watch stream: counts its events into the current round, or itself as failed. */
    private final class Watcher implements StreamObserver<WatchResponse> {
        final AtomicBoolean created = new AtomicBoolean();
        final AtomicBoolean dead = new AtomicBoolean();
        final AtomicLong delivered = new AtomicLong();
        final CountDownLatch createdLatch;
        StreamObserver<WatchRequest> requests;
        volatile boolean closing;

        Watcher(CountDownLatch createdLatch) {
            this.createdLatch = createdLatch;
        }

        @Override
        public void onNext(WatchResponse response) {
            if (response.getCreated() && !dead.get() && created.compareAndSet(false, true)) {
                rounds.live.incrementAndGet();
                createdLatch.countDown();
            }
            if (response.getCanceled()) {
                fail(Status.CANCELLED.withDescription("watch canceled: " + response.getCancelReason()));
                return;
            }
            for (Event e : response.getEventsList()) {
                ByteString v = e.getKv().getValue();
                long round = v.size() < ROUND_BYTES ? -1 : v.substring(0, ROUND_BYTES).asReadOnlyByteBuffer().getLong();
                if (round == rounds.current.get() && delivered.getAndSet(round) < round) {
                    latencies.record(clock.getAsLong() - rounds.startNanos); // written before current: this round's
                    arrive(round);
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            if (!closing) {
                fail(Status.fromThrowable(t));
            }
        }

        @Override
        public void onCompleted() {
            if (!closing) {
                fail(Status.UNAVAILABLE.withDescription("watch stream closed by the server"));
            }
        }

        void fail(Status status) {
            if (!dead.compareAndSet(false, true)) {
                return;
            }
            errors.record(status);
            if (created.get()) {
                rounds.live.decrementAndGet();
                long round = rounds.current.get();
                if (round > rounds.finished.get() && delivered.getAndSet(round) < round) {
                    arrive(round);
                }
            } else {
                createdLatch.countDown();
            }
        }

        void close() {
            closing = true;
            if (requests != null) {
                requests.onCompleted();
            }
        }
    }
}
