/**
 * {@code cairnutl snapshot restore|status}: etcdutl's snapshot commands for the files {@code etcdctl snapshot save}
 * gets from a Cairn member ({@link io.cairn.tools.snapshot.SnapshotFile} has the format: Cairn's engine-independent
 * backend stream, zero padding, etcd's SHA-256 trailer). Restore streams the file into a new backend through
 * {@code Backends.restore} (any engine, found at runtime; this package never names one), removes the old
 * membership and lets {@code io.cairn.mvcc.RestoreRewrite} bump the revision, mark it compacted and reset the
 * consistent index; it writes no WAL, as a Cairn member bootstraps its raft log from its own flags.
 *
 * <p>Where Cairn differs from etcdutl on purpose: {@code --bump-revision 1000000000 --mark-compacted} is the
 * default (etcd: no bump), so clients of the old cluster never mistake new revisions for old ones; a bump without
 * the mark (etcd refuses it) moves the newest transaction up instead, and the mark without a bump compacts at the
 * snapshot's revision; the default {@code --data-dir} and {@code --initial-cluster} are the server's
 * ({@code <name>.cairn}, {@code <name>=<initial-advertise-peer-urls>}); host names in URLs are compared, not
 * resolved; a failed restore leaves nothing behind (etcdutl leaves a half-written data dir); the member and
 * cluster IDs are not printed (they are the server's to compute, and the tools never import the server runtime);
 * the restore's flags are only checked, not stored (there is no WAL to store them in), so the summary ends with
 * the server flags that bootstrap the member as checked.
 */
package io.cairn.tools.snapshot;
