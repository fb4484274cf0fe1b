/**
 * {@code cairnutl dump-logs}: etcd-dump-logs for a Cairn data dir. Reads through {@link io.cairn.wal.WalReader}
 * and {@link io.cairn.wal.Snapshotter} (no decoder of its own), decodes entries with the generated raftpb and
 * etcdserverpb messages, and prints etcd's layout ({@link io.cairn.tools.dumplogs.TextOutput}), one JSON object
 * per line ({@link io.cairn.tools.dumplogs.JsonOutput}) or one line per record ({@code --raw}).
 *
 * <p>Decoding and printing are separate: {@link io.cairn.tools.dumplogs.DecodedEntry} and
 * {@link io.cairn.tools.dumplogs.RequestDescriber} build {@link io.cairn.tools.dumplogs.Description}s that the text
 * and JSON renderers print, so both forms always agree. Where Cairn differs from etcd-dump-logs on purpose: the
 * data column of InternalRaftRequests is a readable summary ({@code id=7 put key="a" value_size=3}) instead of
 * gogoproto's text, values are shown by size, secrets never; ConfChangeV2 entries are printed; corruption is
 * reported with its position after printing what was read, instead of aborting.
 */
package io.cairn.tools.dumplogs;
