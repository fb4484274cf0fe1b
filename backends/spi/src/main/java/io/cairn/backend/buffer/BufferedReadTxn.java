package io.cairn.backend.buffer;

import io.cairn.backend.BackendException;
import io.cairn.backend.Bucket;
import io.cairn.backend.EntryVisitor;
import io.cairn.backend.RangeQuery;
import io.cairn.backend.ReadTxn;
import io.cairn.backend.engine.EngineView;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** Reads over a captured {@link ReadState} at a sequence number, falling back to an engine view. */
class BufferedReadTxn implements ReadTxn {
    private final BufferedBackend owner;
    private final List<Generation> generations;
    private final long readSeq;
    private EngineView view;
    private boolean closed;

    BufferedReadTxn(BufferedBackend owner, List<Generation> generations, long readSeq, EngineView view) {
        this.owner = owner;
        this.generations = generations;
        this.readSeq = readSeq;
        this.view = view;
    }

    @Override
    public Optional<byte[]> get(Bucket bucket, byte[] key) {
        ensureOpen();
        for (Generation g : generations) {
            Version v = g.lookup(bucket, key, readSeq);
            if (v != null) {
                return Optional.ofNullable(v.value());
            }
        }
        return Optional.ofNullable(view().get(bucket, key));
    }

    @Override
    public long scan(Bucket bucket, RangeQuery query, EntryVisitor visitor) {
        ensureOpen();
        return MergedScan.run(generations, readSeq, view(), bucket, query, visitor);
    }

    @Override
    public List<Bucket> buckets() {
        ensureOpen();
        TreeSet<Bucket> candidates = new TreeSet<>(view().buckets());
        generations.forEach(g -> candidates.addAll(g.bucketNames()));
        List<Bucket> nonEmpty = new ArrayList<>();
        for (Bucket b : candidates) {
            if (scan(b, RangeQuery.all().withLimit(1), (k, v) -> true) > 0) {
                nonEmpty.add(b);
            }
        }
        return nonEmpty;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (view != null) {
                view.close();
                view = null;
            }
        }
    }

    /** The engine view; subclasses may open it lazily. */
    EngineView view() {
        return view;
    }

    void setView(EngineView newView) {
        this.view = newView;
    }

    boolean isClosed() {
        return closed;
    }

    void ensureOpen() {
        if (closed) {
            throw new BackendException.Closed("transaction");
        }
        owner.ensureOpen();
    }
}
