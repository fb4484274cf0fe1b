package io.cairn.wal.testing;

import java.util.Base64;

/**
 * A WAL written by the real etcd: the first segment of a fresh single-member etcd 3.4.23 (Debian bookworm's
 * {@code etcd-server}/{@code etcd-client}), cut after its last record: 1352 bytes, SHA-256 {@value #SHA256}. The tests
 * that read and re-encode etcd's format byte for byte ({@code io.cairn.wal.EtcdCompatibilityTest}, the API module's
 * {@code EtcdWalFixtureTest}, {@code cairnutl dump-logs}' golden test) share this one copy. It cannot be made
 * again byte for byte (etcd draws the lease ID at random), so it is kept here as it was written, made with:
 * <pre>
 * apt-get update &amp;&amp; apt-get install -y etcd-server etcd-client
 * rm -rf /tmp/etcdfix
 * etcd --name default --data-dir /tmp/etcdfix \
 *   --listen-client-urls http://127.0.0.1:23790 --advertise-client-urls http://127.0.0.1:23790 \
 *   --listen-peer-urls http://127.0.0.1:23800 --initial-advertise-peer-urls http://127.0.0.1:23800 \
 *   --initial-cluster default=http://127.0.0.1:23800 &
 * export ETCDCTL_API=3 E="etcdctl --endpoints=http://127.0.0.1:23790"
 * until $E endpoint health; do sleep 0.2; done
 * LEASE=$($E lease grant 600 | awk '{print $2}')          # 2040a1fcb2563406 in the fixture
 * $E put --lease=$LEASE cairn/leased value-with-lease
 * $E put cairn/plain plain-value
 * $E put cairn/doomed to-be-deleted
 * $E del cairn/doomed
 * printf 'value("cairn/plain") = "plain-value"\n\nput cairn/txn txn-success\n\nput cairn/txn txn-failure\n\n' | $E txn
 * $E compact 6                                             # the revision after the txn
 * kill %1; wait
 * # Drop the zero-filled preallocated tail: keep up to the last non-zero byte, rounded up to 8.
 * python3 -c "
 * d = open('/tmp/etcdfix/member/wal/0000000000000000-0000000000000000.wal', 'rb').read()
 * n = (len(d.rstrip(b'\0')) + 7) // 8 * 8
 * open('etcd-3.4.23.wal', 'wb').write(d[:n])"
 * </pre>
 */
public final class EtcdWalFixture {
    /** The segment's file name in a member's {@code member/wal}. */
    public static final String SEGMENT = "0000000000000000-0000000000000000.wal";
    /** SHA-256 of {@link #bytes()}. */
    public static final String SHA256 = "fe3e8def500c89f6617531fce4cee4c8b3b341a1321d113dfd2e7c8dcd1f4f9c";

    private static final String BASE64 =
            "BAAAAAAAAIQIBBAAAAAAAB0AAAAAAACDCAEQjZz5FhoUCMDAyq/BupaJLhCH1e26j9WdwQQAAAAOAAAAAAAAgggFEIeMxY0NGgQI" +
            "ABAAAABzAAAAAAAAhQgCEPLJw8kJGmkIARABGAEiYQgAEAAYwMDKr8G6lokuIlF7ImlkIjozMzE5ODE0NjQyNzYxNjM3OTUyLCJw" +
            "ZWVyVVJMcyI6WyJodHRwOi8vMTI3LjAuMC4xOjIzODAwIl0sIm5hbWUiOiJkZWZhdWx0In0AAAAAABAAAAAAAAAACAMQoq3Hggwa" +
            "BggBEAAYAQ8AAAAAAACBCAIQwpG7LhoGCAAQAhgCABgAAAAAAAAACAMQ/eaK9wMaDggCEMDAyq/BupaJLhgCnwAAAAAAAIEIAhDU" +
            "m8+7DRqUAQgAEAIYAyKLAQiB6NiSy7+ooKABEgNQVVQaJi8wL21lbWJlcnMvMmUxMjU5ZDQxNWYyYTA0MC9hdHRyaWJ1dGVzIjp7" +
            "Im5hbWUiOiJkZWZhdWx0IiwiY2xpZW50VVJMcyI6WyJodHRwOi8vMTI3LjAuMC4xOjIzNzkwIl19KAAyADgASABQAFgAYABoAHAA" +
            "eACAAQAAGAAAAAAAAAAIAxD2hqPSDhoOCAIQwMDKr8G6lokuGANMAAAAAAAAhAgCELfsl7kMGkIIABACGAQiOgiE6NiSy7+ooKAB" +
            "EgNQVVQaCi8wL3ZlcnNpb24iBTMuNC4wKAAyADgASABQAFgAYABoAHAAeACAAQAAAAAAGAAAAAAAAAAIAxC38oiIDhoOCAIQwMDK" +
            "r8G6lokuGAQuAAAAAAAAgggCEOG5wEUaJQgAEAIYBSIdQg0I2AQQhujYksu/qKAgogYLCIfo2JLLv6igoAEAABgAAAAAAAAACAMQ" +
            "9vyA6AYaDggCEMDAyq/BupaJLhgFTAAAAAAAAIQIAhD12JCzCxpCCAAQAhgGIjoiKgoMY2Fpcm4vbGVhc2VkEhB2YWx1ZS13aXRo" +
            "LWxlYXNlGIbo2JLLv6igIKIGCwiI6NiSy7+ooKABAAAAABgAAAAAAAAACAMQ/uGovwQaDggCEMDAyq/BupaJLhgGPAAAAAAAAIQI" +
            "AhDFttL1DxoyCAAQAhgHIioiGgoLY2Fpcm4vcGxhaW4SC3BsYWluLXZhbHVlogYLCIno2JLLv6igoAEAAAAAGAAAAAAAAAAIAxC6" +
            "hd24ChoOCAIQwMDKr8G6lokuGAc/AAAAAAAAgQgCEOvp444EGjUIABACGAgiLSIdCgxjYWlybi9kb29tZWQSDXRvLWJlLWRlbGV0" +
            "ZWSiBgsIiujYksu/qKCgAQAYAAAAAAAAAAgDEPOzkoANGg4IAhDAwMqvwbqWiS4YCDAAAAAAAAAACAIQ3821og4aJggAEAIYCSIe" +
            "Kg4KDGNhaXJuL2Rvb21lZKIGCwiL6NiSy7+ooKABGAAAAAAAAAAIAxDToL6RBBoOCAIQwMDKr8G6lokuGAl3AAAAAAAAgQgCEKiS" +
            "u08abggAEAIYCiJmMlYKHBADGgtjYWlybi9wbGFpbjoLcGxhaW4tdmFsdWUSGhIYCgljYWlybi90eG4SC3R4bi1zdWNjZXNzGhoS" +
            "GAoJY2Fpcm4vdHhuEgt0eG4tZmFpbHVyZaIGCwiM6NiSy7+ooKABABgAAAAAAAAACAMQwL/a5wMaDggCEMDAyq/BupaJLhgKJAAA" +
            "AAAAAIQIAhD0x4jdBBoaCAAQAhgLIhI6AggGogYLCI/o2JLLv6igoAEAAAAAGAAAAAAAAAAIAxCY0JqWAxoOCAIQwMDKr8G6loku" +
            "GAs=";

    private EtcdWalFixture() {
    }

    /** A fresh copy of the segment's bytes. */
    public static byte[] bytes() {
        return Base64.getDecoder().decode(BASE64);
    }
}
