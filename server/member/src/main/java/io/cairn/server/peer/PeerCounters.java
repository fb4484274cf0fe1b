package io.cairn.server.peer;

import java.util.concurrent.atomic.LongAdder;

/** One peer's counters (see {@link PeerStats}); updated from any thread. */
final class PeerCounters {
    final LongAdder sentBytes = new LongAdder();
    final LongAdder receivedBytes = new LongAdder();
    final LongAdder sentFailures = new LongAdder();
    final LongAdder snapshotSendSuccess = new LongAdder();
    final LongAdder snapshotSendFailures = new LongAdder();

    PeerStats stats() {
        return new PeerStats(sentBytes.sum(), receivedBytes.sum(), sentFailures.sum(), snapshotSendSuccess.sum(),
            snapshotSendFailures.sum());
    }
}
