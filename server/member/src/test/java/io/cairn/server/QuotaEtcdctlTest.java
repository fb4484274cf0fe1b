package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The space quota end to end with the real etcdctl, as an operator meets it: a small {@code --quota-backend-bytes}
 * fills up with history, puts fail with etcd's "database space exceeded" and raise the NOSPACE alarm, which then
 * refuses every put while reads, deletes and compaction still work; compaction, defrag and {@code alarm disarm}
 * recover, as etcd's maintenance guide describes.
 */
class QuotaEtcdctlTest {
    private static final String NO_SPACE = "etcdserver: mvcc: database space exceeded";
    private static final int QUOTA_BYTES = 8 * 1024 * 1024;
    private static final int VALUE_BYTES = 100 * 1024;

    @TempDir
    Path dir;

    /** Letters no engine can compress much, so that history fills the quota. */
    private static String incompressible(int length) {
        SplittableRandom random = new SplittableRandom(length);
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append((char) ('a' + random.nextInt(26)));
        }
        return b.toString();
    }

    @Test
    void fillRaiseNospaceThenCompactDefragDisarmRecover() throws Exception {
        try (TestMember server = TestMember.start(dir.resolve("data"), "rocksdb",
            "--quota-backend-bytes", String.valueOf(QUOTA_BYTES), "--backend-batch-interval", "10ms")) {
            String url = server.endpoint();
            String value = incompressible(VALUE_BYTES);
            Etcdctl.Result refused = null;
            for (int i = 0; i < 1000 && refused == null; i++) {
                Etcdctl.Result put = Etcdctl.run(url, value, "put", "big");
                if (put.exit() != 0) {
                    refused = put;
                }
            }
            assertThat(refused).as("the quota was never reached").isNotNull();
            assertThat(refused.err()).contains("Error: " + NO_SPACE);
            String alarm = "memberID:" + Long.toUnsignedString(server.member.memberId()) + " alarm:NOSPACE \n";
            assertThat(Etcdctl.run(url, null, "alarm", "list").out()).isEqualTo(alarm);

            assertThat(Etcdctl.run(url, null, "put", "small", "x").err()).contains(NO_SPACE);
            assertThat(Etcdctl.run(url, null, "get", "big", "--print-value-only").out()).isEqualTo(value + "\n");
            assertThat(Etcdctl.run(url, null, "del", "missing").out()).isEqualTo("0\n");

            long rev = server.member.store().currentRevision();
            assertThat(Etcdctl.run(url, null, "compaction", "--physical", String.valueOf(rev)).out())
                .isEqualTo("compacted revision " + rev + "\n");
            assertThat(Etcdctl.run(url, null, "defrag").out()).startsWith("Finished defragmenting etcd member[");
            assertThat(server.member.backend().sizeBytes()).as("defrag gave the space back").isLessThan(QUOTA_BYTES);
            assertThat(Etcdctl.run(url, null, "alarm", "disarm").out()).isEqualTo(alarm);
            assertThat(Etcdctl.run(url, null, "alarm", "list").out()).isEmpty();

            assertThat(Etcdctl.run(url, null, "put", "small", "x").out()).isEqualTo("OK\n");
            assertThat(Etcdctl.run(url, null, "get", "small", "--print-value-only").out()).isEqualTo("x\n");
        }
    }
}
