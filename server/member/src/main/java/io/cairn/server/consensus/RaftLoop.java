package io.cairn.server.consensus;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.cairn.raft.RaftNode;
import io.cairn.raft.ReadState;
import io.cairn.raft.Ready;
import io.cairn.raft.SoftState;
import io.cairn.raft.StateRole;
import io.cairn.raft.StepResult;
import io.cairn.raft.pb.ConfChange;
import io.cairn.raft.pb.ConfChangeV2;
import io.cairn.raft.pb.ConfState;
import io.cairn.raft.pb.Entry;
import io.cairn.raft.pb.EntryType;
import io.cairn.raft.pb.Message;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the {@link RaftNode} (etcd's {@code raftNode.start}): it ticks raft every heartbeat interval, feeds it
 * proposals, peers' messages and read-index requests from a queue, and handles each {@link Ready} in the order the
 * raft package doc prescribes: persist (one WAL write and fsync for everything queued meanwhile: group commit),
 * send messages, apply conf changes to raft and hand the committed entries to the {@link Sink}, answer read-index
 * requests, advance.
 *
 * <p>It runs in turns on a single-threaded executor it is given: the member gives it the peer transport's event
 * loop, the thread that reads and writes every raft stream. A peer's message is then stepped on the thread that
 * read it and the messages a Ready sends are written by the same thread, with no wake-up of another thread in
 * between (on a 3-member cluster: a third fewer context switches per committed entry, the members' CPU about 7 %
 * lower, benchmarks/results/server.md). A command from any other thread (a proposal, a read) queues and
 * schedules one turn; a turn runs every queued command, then the Readies they made.
 *
 * <p>Linearizable reads are batched like etcd's {@code linearizableReadLoop}: every read waiting when no
 * read-index request is in flight joins the next one, so one confirmation round serves them all; a request
 * unanswered for {@link #READ_INDEX_RETRY_NANOS} is sent again. A single voter campaigns at once at start (etcd
 * fast-forwards its ticks). Any failure inside the loop (a WAL write or fsync error) is fatal: the loop stops and
 * reports it, as etcd panics; nothing is acknowledged that was not persisted.
 *
 * <p>Thread-safe: every public method may be called from any thread; state is touched only on the loop thread.
 */
public final class RaftLoop implements AutoCloseable {
    /** etcd's readIndexRetryTime. */
    static final long READ_INDEX_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** Commands taken from the queue per turn, so one Ready never grows without bound. */
    private static final int MAX_COMMANDS_PER_TURN = 8192;
    private static final Logger LOG = LoggerFactory.getLogger(RaftLoop.class);

    /** Receives committed entries, in order, on the loop thread; must hand them off, not apply them inline. */
    public interface Sink {
        void apply(ApplyBatch batch);
    }

    /** Sends raft messages to peers (the server's peer transport); a single member has none to send. */
    public interface Transport {
        Transport NONE = messages -> { };

        void send(List<Message> messages);
    }

    /** Told about leadership and loop failure; called on the loop thread. */
    public interface Listener {
        default void leaderChanged(View view) {
        }

        /** The commit index moved to {@code index}. */
        default void committed(long index) {
        }

        default void failed(Throwable error) {
        }
    }

    /** What clients see of raft: published after every Ready. */
    public record View(long term, long leader, StateRole role, long commitIndex, long lastIndex) {
        public boolean hasLeader() {
            return leader != 0;
        }
    }

    private final RaftNode node;
    private final RaftPersistence persistence;
    private final Sink sink;
    private final Transport transport;
    private final Listener listener;
    private final LongSupplier nanoClock;
    private final long tickNanos;
    private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean turnPending = new AtomicBoolean();
    private final ScheduledExecutorService loop;
    private volatile Thread loopThread;
    private volatile ScheduledFuture<?> ticker; // set by start(), cancelled by close() or a fatal error on the loop
    private final List<CompletableFuture<Long>> readWaiters = new ArrayList<>();
    private List<CompletableFuture<Long>> readBatch;
    private ByteString readContext;
    private long readSentNanos;
    private long readSequence;
    private volatile ConfState confState;
    private volatile View view;
    private volatile boolean running = true;
    private volatile Throwable failure;

    public RaftLoop(RaftNode node, RaftPersistence persistence, Sink sink, Transport transport, Listener listener,
        LongSupplier nanoClock, long tickNanos, ScheduledExecutorService loop) {
        this.node = node;
        this.persistence = persistence;
        this.sink = sink;
        this.transport = transport;
        this.listener = listener;
        this.nanoClock = nanoClock;
        this.tickNanos = tickNanos;
        this.confState = persistence.storage().initialState().confState();
        var hard = persistence.storage().initialState().hardState();
        this.view = new View(hard.getTerm(), 0, StateRole.FOLLOWER, hard.getCommit(),
            persistence.storage().lastIndex());
        this.loop = loop;
    }

    /** Starts ticking and taking commands on the executor ({@code loop}: single-threaded, never blocked by others). */
    public void start() {
        loop.execute(() -> guarded(() -> {
            loopThread = Thread.currentThread();
            processReadies();
            if (confState.getVotersList().equals(List.of(node.id()))) {
                node.campaign();
                processReadies();
            }
        }));
        ticker = loop.scheduleWithFixedDelay(() -> guarded(() -> { // after a stall: one tick, no catching up
            node.tick();
            sendReadIndex(nanoClock.getAsLong());
            processReadies();
        }), tickNanos, tickNanos, TimeUnit.NANOSECONDS);
    }

    public View view() {
        return view;
    }

    /** The membership raft applied last (voters, learners). */
    public ConfState confState() {
        return confState;
    }

    /** The failure that stopped the loop, if one did. */
    public Throwable failure() {
        return failure;
    }

    /**
     * Proposes {@code data} (an encoded request); {@code dropped} is told, on the loop thread, when raft refuses
     * it. Acceptance is not commitment: the applier answers the request when its entry is applied.
     */
    public void propose(byte[] data, Consumer<StepResult> dropped) {
        submit(() -> {
            StepResult r = node.propose(data);
            if (r.isDropped()) {
                dropped.accept(r);
            }
        }, () -> dropped.accept(StepResult.DROPPED_NOT_MEMBER));
    }

    /**
     * Proposes a membership change; {@code dropped} is told, on the loop thread, when raft refuses it. The
     * applier answers it (by the change's ID) when its entry is applied.
     */
    public void proposeConfChange(ConfChange cc, Consumer<StepResult> dropped) {
        submit(() -> {
            StepResult r = node.proposeConfChange(cc);
            if (r.isDropped()) {
                dropped.accept(r);
            }
        }, () -> dropped.accept(StepResult.DROPPED_NOT_MEMBER));
    }

    /** Tells raft that {@code peer} could not be reached (a message to it was dropped). */
    public void reportUnreachable(long peer) {
        submit(() -> node.reportUnreachable(peer), () -> { });
    }

    /** Tells raft how sending a snapshot to {@code peer} ended. */
    public void reportSnapshot(long peer, boolean failed) {
        submit(() -> node.reportSnapshot(peer, failed), () -> { });
    }

    /** A raft message from a peer. */
    public void step(Message m) {
        submit(() -> node.step(m), () -> { });
    }

    /**
     * The index a linearizable read must wait for (raft's ReadIndex, confirmed by a quorum); reads arriving
     * together share one request. Never completes while there is no leader: callers bound it with a timeout.
     */
    public CompletableFuture<Long> readIndex() {
        CompletableFuture<Long> f = new CompletableFuture<>();
        submit(() -> readWaiters.add(f), () -> f.completeExceptionally(new IllegalStateException("stopped")));
        return f;
    }

    /** Asks the leader to hand leadership to {@code transferee}. */
    public void transferLeadership(long transferee) {
        submit(() -> node.transferLeadership(transferee), () -> { });
    }

    /** raft's status, read on the loop thread. */
    public CompletableFuture<io.cairn.raft.Status> status() {
        CompletableFuture<io.cairn.raft.Status> f = new CompletableFuture<>();
        submit(() -> f.complete(node.status()), () -> f.completeExceptionally(new IllegalStateException("stopped")));
        return f;
    }

    /**
     * Records a snapshot at {@code index}, which the backend has durably committed, with membership
     * {@code cs}; runs on the loop thread.
     */
    public void snapshot(long index, ConfState cs) {
        submit(() -> {
            long start = nanoClock.getAsLong();
            int released = persistence.snapshot(index, cs);
            LOG.info("saved snapshot: snapshot-index={} released-wal-segments={} took={}ms", index, released,
                TimeUnit.NANOSECONDS.toMillis(nanoClock.getAsLong() - start));
        }, () -> { });
    }

    private void submit(Runnable command, Runnable ifStopped) {
        if (!running) {
            ifStopped.run();
            return;
        }
        inbox.add(command);
        scheduleTurn();
    }

    /** Schedules one turn unless one is already pending. */
    private void scheduleTurn() {
        if (turnPending.compareAndSet(false, true)) {
            try {
                loop.execute(this::turn);
            } catch (RejectedExecutionException e) { // the executor is shutting down: nothing runs any more
                turnPending.set(false);
            }
        }
    }

    /** One turn: every queued command, then the Readies they made (group commit). */
    private void turn() {
        turnPending.set(false);
        guarded(() -> {
            Runnable command;
            for (int i = 0; i < MAX_COMMANDS_PER_TURN && (command = inbox.poll()) != null; i++) {
                command.run();
            }
            sendReadIndex(nanoClock.getAsLong());
            processReadies();
        });
        if (running && !inbox.isEmpty()) { // more than one turn's worth was queued
            scheduleTurn();
        }
    }

    private void guarded(Runnable body) {
        if (!running) {
            return;
        }
        try {
            body.run();
        } catch (RuntimeException | Error e) {
            failure = e;
            running = false;
            if (ticker != null) {
                ticker.cancel(false);
            }
            LOG.error("raft loop stopped by a fatal error", e);
            listener.failed(e);
            failPendingReads();
        }
    }

    private void processReadies() {
        while (node.hasReady()) {
            Ready rd = node.ready();
            persistence.save(rd);
            transport.send(rd.messages());
            if (rd.snapshot().isPresent()) {
                confState = rd.snapshot().get().getMetadata().getConfState();
                sink.apply(ApplyBatch.of(rd.snapshot().get().getMetadata()));
            }
            if (!rd.committedEntries().isEmpty()) {
                applyConfChanges(rd.committedEntries());
                sink.apply(new ApplyBatch(rd.committedEntries(), confState));
            }
            answerReads(rd.readStates());
            node.advance(rd);
            publish(rd);
        }
    }

    private void applyConfChanges(List<Entry> committed) {
        for (Entry e : committed) {
            try {
                if (e.getType() == EntryType.EntryConfChange) {
                    confState = node.applyConfChange(ConfChange.parseFrom(e.getData()));
                } else if (e.getType() == EntryType.EntryConfChangeV2) {
                    confState = node.applyConfChange(ConfChangeV2.parseFrom(e.getData()));
                }
            } catch (InvalidProtocolBufferException ex) {
                throw new IllegalStateException("unreadable conf change at index " + e.getIndex(), ex);
            }
        }
    }

    private void publish(Ready rd) {
        View old = view;
        long term = rd.hardState().map(h -> h.getTerm()).orElse(old.term());
        long commit = rd.hardState().map(h -> h.getCommit()).orElse(old.commitIndex());
        SoftState soft = rd.softState().orElse(null);
        long leader = soft == null ? old.leader() : soft.leaderId();
        StateRole role = soft == null ? old.role() : soft.role();
        long last = rd.entries().isEmpty() ? old.lastIndex() : rd.entries().get(rd.entries().size() - 1).getIndex();
        View next = new View(term, leader, role, commit, last);
        if (!next.equals(old)) {
            view = next;
            if (commit != old.commitIndex()) {
                listener.committed(commit);
            }
            if (old.leader() != leader || old.role() != role) {
                LOG.info("raft leadership: member={} term={} leader={} role={}", Long.toHexString(node.id()), term,
                    Long.toHexString(leader), role);
                listener.leaderChanged(next);
            }
        }
    }

    private void sendReadIndex(long now) {
        if (readBatch == null && !readWaiters.isEmpty()) {
            readBatch = new ArrayList<>(readWaiters);
            readWaiters.clear();
            requestReadIndex(now);
        } else if (readBatch != null && now - readSentNanos >= READ_INDEX_RETRY_NANOS) {
            requestReadIndex(now);
        }
    }

    private void requestReadIndex(long now) {
        readContext = ByteString.copyFrom(ByteBuffer.allocate(Long.BYTES).putLong(++readSequence).array());
        readSentNanos = now;
        node.readIndex(readContext.toByteArray());
    }

    private void answerReads(List<ReadState> states) {
        for (ReadState rs : states) {
            if (readBatch != null && rs.requestContext().equals(readContext)) {
                readBatch.forEach(f -> f.complete(rs.index()));
                readBatch = null;
            }
        }
    }

    private void failPendingReads() {
        IllegalStateException stopped = new IllegalStateException("raft loop stopped");
        readWaiters.forEach(f -> f.completeExceptionally(stopped));
        if (readBatch != null) {
            readBatch.forEach(f -> f.completeExceptionally(stopped));
        }
        // Commands queued after the stop are dropped; the member fails their waiters.
        inbox.clear();
    }

    /**
     * Stops the loop (commands still queued are dropped, waiting reads fail) and closes the WAL, after any turn in
     * progress has finished; call it before the executor is shut down.
     */
    @Override
    public void close() {
        boolean wasRunning = running;
        running = false;
        if (ticker != null) {
            ticker.cancel(false);
        }
        if (wasRunning && Thread.currentThread() != loopThread) {
            try {
                loop.submit(this::failPendingReads).get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
                LOG.warn("raft loop did not stop cleanly", e);
            }
        } else if (wasRunning) {
            failPendingReads();
        }
        persistence.close();
    }
}
