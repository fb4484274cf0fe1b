package io.cairn.bench.load;

import java.util.Optional;

/**
 * One validated {@code cairn-bench load} run.
 *
 * @param total requests to send (for watch-latency: puts, each observed by every client)
 * @param ratePerSecond at most this many requests started per second over all clients, 0: no limit
 *     (watch-latency: etcd's {@code --put-rate})
 * @param keys the key/value shape of put, txn-put and watch-latency
 * @param txnOps puts per transaction (txn-put)
 * @param range the key range read (range only)
 */
public record LoadOptions(Command command, ClientOptions client, int total, int ratePerSecond, KeySpace keys,
                          int txnOps, Optional<RangeTarget> range, OutputOptions output) {
    public LoadOptions {
        if (total < 1) {
            throw new UsageException("--total must be at least 1, got " + total);
        }
        if (ratePerSecond < 0) {
            throw new UsageException("--rate must not be negative, got " + ratePerSecond);
        }
        if (command == Command.WATCH_LATENCY && ratePerSecond < 1) {
            throw new UsageException("--put-rate must be at least 1, got " + ratePerSecond);
        }
        if (txnOps < 1) {
            throw new UsageException("--txn-ops must be positive, got " + txnOps);
        }
        if (command == Command.TXN_PUT && txnOps > keys.keySpaceSize()) {
            throw new UsageException("--txn-ops " + txnOps + " is larger than --key-space-size "
                + keys.keySpaceSize() + ": a txn cannot put the same key twice");
        }
        if (command == Command.WATCH_LATENCY && keys.valSizeBytes() < WatchLatency.ROUND_BYTES) {
            throw new UsageException("watch-latency needs --val-size of at least " + WatchLatency.ROUND_BYTES
                + " (each value starts with its round number), got " + keys.valSizeBytes());
        }
        if (command == Command.RANGE && range.isEmpty()) {
            throw new UsageException("range needs a key: cairn-bench load range KEY [END]");
        }
    }

    /** A copy with another label; the comparison driver runs one option set against several servers. */
    public LoadOptions withLabel(String label) {
        return new LoadOptions(command, client, total, ratePerSecond, keys, txnOps, range,
            new OutputOptions(output.json(), label, output.precise()));
    }

    /** A copy with another request count. */
    public LoadOptions withTotal(int otherTotal) {
        return new LoadOptions(command, client, otherTotal, ratePerSecond, keys, txnOps, range, output);
    }

    /** A copy aimed at other endpoints. */
    public LoadOptions withClient(ClientOptions other) {
        return new LoadOptions(command, other, total, ratePerSecond, keys, txnOps, range, output);
    }
}
