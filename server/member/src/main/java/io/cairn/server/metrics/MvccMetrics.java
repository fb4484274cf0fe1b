package io.cairn.server.metrics;

import io.cairn.mvcc.op.DeleteRangeRequest;
import io.cairn.mvcc.op.DeleteRangeResponse;
import io.cairn.mvcc.op.PutRequest;
import io.cairn.mvcc.op.PutResponse;
import io.cairn.mvcc.op.RangeRequest;
import io.cairn.mvcc.op.RangeResponse;
import io.cairn.mvcc.op.TxnRequest;
import io.cairn.mvcc.op.TxnResponse;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.Supplier;

/**
 * etcd's mvcc metrics (mvcc/metrics.go): operation counters ({@link MvccOpCounts}), hash durations, and gauges
 * read at scrape time from {@link MemberReadings}. The counting methods return the response they are given, so a
 * call site wraps the apply: {@code metrics.mvcc().put(r, ops.put(r))}. Thread-safe.
 */
public final class MvccMetrics {
    private final Counter ranges;
    private final Counter puts;
    private final Counter deletes;
    private final Counter txns;
    private final Histogram hash;
    private final Histogram hashRev;

    MvccMetrics(PrometheusRegistry registry, Supplier<MemberReadings> readings) {
        ranges = Families.counter(registry, "etcd_mvcc_range_total", "Total number of ranges seen by this member.");
        puts = Families.counter(registry, "etcd_mvcc_put_total", "Total number of puts seen by this member.");
        deletes = Families.counter(registry, "etcd_mvcc_delete_total",
            "Total number of deletes seen by this member.");
        txns = Families.counter(registry, "etcd_mvcc_txn_total", "Total number of txns seen by this member.");
        hash = Families.histogram(registry, "etcd_mvcc_hash_duration_seconds",
            "The latency distribution of storage hash operation.", 0.01, 2, 15);
        hashRev = Families.histogram(registry, "etcd_mvcc_hash_rev_duration_seconds",
            "The latency distribution of storage hash by revision operation.", 0.01, 2, 15);
        Families.onScrape(registry, "etcd_mvcc_db_total_size_in_bytes",
            "Total size of the underlying database physically allocated in bytes.",
            () -> readings.get().dbSizeBytes());
        Families.onScrape(registry, "etcd_mvcc_db_total_size_in_use_in_bytes",
            "Total size of the underlying database logically in use in bytes.",
            () -> readings.get().dbSizeInUseBytes());
        Families.onScrape(registry, "etcd_debugging_mvcc_keys_total", "Total number of keys.",
            () -> readings.get().keys());
        Families.onScrape(registry, "etcd_debugging_mvcc_current_revision", "The current revision of store.",
            () -> readings.get().currentRevision());
        Families.onScrape(registry, "etcd_debugging_mvcc_compact_revision",
            "The revision of the last compaction in store.", () -> readings.get().compactRevision());
    }

    public RangeResponse range(RangeRequest r, RangeResponse resp) {
        count(MvccOpCounts.range(r));
        return resp;
    }

    public PutResponse put(PutRequest r, PutResponse resp) {
        count(MvccOpCounts.put(r));
        return resp;
    }

    public DeleteRangeResponse deleteRange(DeleteRangeRequest r, DeleteRangeResponse resp) {
        count(MvccOpCounts.deleteRange(r));
        return resp;
    }

    public TxnResponse txn(TxnRequest r, TxnResponse resp) {
        count(MvccOpCounts.txn(r, resp));
        return resp;
    }

    /** etcd_mvcc_hash_duration_seconds: one Maintenance.Hash. */
    public void hashed(long nanos) {
        hash.observe(Families.seconds(nanos));
    }

    /** etcd_mvcc_hash_rev_duration_seconds: one Maintenance.HashKV. */
    public void hashedByRevision(long nanos) {
        hashRev.observe(Families.seconds(nanos));
    }

    private void count(MvccOpCounts c) {
        ranges.inc(c.ranges());
        puts.inc(c.puts());
        deletes.inc(c.deletes());
        txns.inc(c.txns());
    }
}
