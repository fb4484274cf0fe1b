/**
 * The member's Prometheus metrics under etcd 3.5's names, served at {@code GET /metrics} on the client port in
 * text format 0.0.4. {@link io.cairn.server.metrics.ServerMetrics} owns one registry per member and every metric;
 * the rest of the server calls its plain methods. Imports the backend SPI, mvcc op records and grpc-java; nothing
 * here opens sockets or starts threads.
 *
 * <p>What is exported, and who feeds it:
 * <pre>
 *   raft loop (ServerMetrics methods, fed by Member, Applier and Chores)
 *     etcd_server_has_leader, etcd_server_is_leader, etcd_server_leader_changes_seen_total
 *     etcd_server_proposals_committed_total, _applied_total (gauges holding raft indexes, as in etcd)
 *     etcd_server_proposals_pending, etcd_server_proposals_failed_total
 *     etcd_server_slow_apply_total, etcd_server_heartbeat_send_failures_total
 *     cairn_server_peer_lag_entries{To, learner} (the leader's view of each peer's catch-up; Cairn's own)
 *   peer transport (peerNetwork, read from the transport's counters at scrape time)
 *     etcd_network_peer_sent_bytes_total{To}, etcd_network_peer_received_bytes_total{From},
 *     etcd_network_peer_sent_failures_total{To}, etcd_network_snapshot_send_success{To}, _failures{To}
 *   WAL (ServerMetrics methods, fed by the WAL observer)
 *     etcd_disk_wal_fsync_duration_seconds (1 ms..8.192 s), etcd_disk_wal_write_bytes_total
 *   backend (MeteredBackend)
 *     etcd_disk_backend_commit_duration_seconds (1 ms..8.192 s), etcd_disk_backend_defrag_duration_seconds
 *     (100 ms..409.6 s), etcd_disk_backend_snapshot_duration_seconds (10 ms..655.36 s), etcd_disk_defrag_inflight
 *   mvcc (MvccMetrics, from the applier and KvService; MemberReadings at scrape time)
 *     etcd_mvcc_put_total, _delete_total, _range_total, _txn_total (counted as MvccOpCounts documents)
 *     etcd_mvcc_hash_duration_seconds, etcd_mvcc_hash_rev_duration_seconds (10 ms..163.84 s)
 *     etcd_mvcc_db_total_size_in_bytes, etcd_mvcc_db_total_size_in_use_in_bytes
 *     etcd_debugging_mvcc_keys_total, etcd_debugging_mvcc_current_revision, etcd_debugging_mvcc_compact_revision
 *   identity and quota
 *     etcd_server_id{server_id}, etcd_server_version{server_version}, etcd_cluster_version{cluster_version},
 *     etcd_server_quota_backend_bytes
 *   auth (MemberReadings at scrape time)
 *     etcd_debugging_auth_revision
 *   gRPC (GrpcMetrics interceptor; every method pre-registered at 0 like go-grpc-prometheus)
 *     grpc_server_started_total, grpc_server_handled_total{grpc_code}, grpc_server_msg_received_total,
 *     grpc_server_msg_sent_total {grpc_type, grpc_service, grpc_method};
 *     etcd_network_client_grpc_received_bytes_total, etcd_network_client_grpc_sent_bytes_total
 *   health endpoints
 *     etcd_server_health_success, etcd_server_health_failures, etcd_server_healthcheck{type,name},
 *     etcd_server_healthchecks_total{type,name,status}
 *   process
 *     process_cpu_seconds_total, process_open_fds, process_max_fds, process_start_time_seconds, os_fd_used,
 *     os_fd_limit, jvm_memory_used_bytes{area}
 * </pre>
 * Differences from etcd: histograms are classic buckets with etcd's bounds, values print as {@code 1.0} where Go
 * prints {@code 1}; etcd_server_health_success/_failures are typed gauge (this library appends {@code _total} to
 * every counter); gRPC byte totals count every message's protobuf size; batch-limit commits that the backend runs
 * inside a write transaction are not timed (the SPI has no commit hook); Go runtime metrics ({@code go_*}) have no
 * equivalent.
 */
package io.cairn.server.metrics;
