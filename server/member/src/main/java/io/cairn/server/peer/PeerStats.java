package io.cairn.server.peer;

/**
 * A reading of one peer's counters, all totals since the peer was added (or first heard from). The etcd metric
 * each one feeds is named beside it.
 *
 * @param sentBytes every byte written to the peer: raft, RPC, snapshot ({@code etcd_network_peer_sent_bytes_total})
 * @param receivedBytes every byte read from it ({@code etcd_network_peer_received_bytes_total})
 * @param sentFailures raft messages dropped on the way to it ({@code etcd_network_peer_sent_failures_total})
 * @param snapshotSendSuccess snapshots it acknowledged ({@code etcd_network_snapshot_send_success})
 * @param snapshotSendFailures snapshots that failed ({@code etcd_network_snapshot_send_failures})
 */
public record PeerStats(long sentBytes, long receivedBytes, long sentFailures, long snapshotSendSuccess,
    long snapshotSendFailures) {
}
