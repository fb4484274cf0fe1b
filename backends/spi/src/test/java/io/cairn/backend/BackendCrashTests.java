package io.cairn.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Kill -9 of a writing process, and a full disk. */
abstract class BackendCrashTests extends BackendDurabilityTests {
    private static final long CHILD_DEADLINE_MS = 120_000;

    @Test
    void killedWriterLeavesExactlyACommittedPrefix() throws Exception {
        Path dir = tmp.resolve("crash");
        long seed = System.nanoTime();
        Random random = new Random(seed);
        long synced = -1;
        for (int round = 0; round < 3; round++) {
            int syncsBeforeKill = 1 + random.nextInt(4);
            synced = Math.max(synced, runAndKill(dir, syncsBeforeKill, random.nextInt(CrashChild.SYNC_EVERY * 2)));
            try (Backend backend = Backends.open(options(dir))) {
                long last = CrashChild.lastBatch(backend).orElse(-1L);
                assertThat(last).as("seed %d round %d: durable batch %d survives", seed, round, synced)
                    .isGreaterThanOrEqualTo(synced);
                assertPrefix(backend, last, seed);
            }
        }
    }

    /**
     * Starts the child, waits for it to report {@code syncs} syncs and then {@code extraApplies} more applied
     * batches, kills it with SIGKILL mid-work; returns the last synced batch.
     */
    private long runAndKill(Path dir, int syncs, int extraApplies) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString(), "-Xmx512m", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens",
            "java.base/java.nio=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
            CrashChild.class.getName(), engine(), dir.toString()));
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        long lastSynced = -1;
        long deadline = System.currentTimeMillis() + CHILD_DEADLINE_MS;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
            StandardCharsets.UTF_8))) {
            int seen = 0;
            int applied = 0;
            while ((seen < syncs || applied < extraApplies) && System.currentTimeMillis() < deadline) {
                String line = out.readLine();
                assertThat(line).as("child exited early with %s", child.isAlive() ? "?" : child.exitValue())
                    .isNotNull();
                if (seen == syncs) {
                    applied++; // any batch after the last awaited sync, applied or synced
                }
                if (line.startsWith("synced ")) {
                    lastSynced = Long.parseLong(line.substring(7));
                    seen = Math.min(syncs, seen + 1);
                }
            }
            assertThat(seen).as("child reached %d syncs in time", syncs).isEqualTo(syncs);
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        return lastSynced;
    }

    private static void assertPrefix(Backend backend, long last, long seed) {
        try (ReadTxn txn = backend.read()) {
            assertThat(txn.count(CrashChild.DATA, RangeQuery.all())).as("seed %d: only whole batches <= %d", seed,
                last).isEqualTo((last + 1) * CrashChild.KEYS_PER_BATCH);
            long[] expectedBatch = {0};
            int[] inBatch = {0};
            txn.scan(CrashChild.DATA, RangeQuery.all(), (k, v) -> {
                assertThat(ByteBuffer.wrap(k).getLong()).isEqualTo(expectedBatch[0]);
                assertThat(ByteBuffer.wrap(v).getLong()).isEqualTo(expectedBatch[0]);
                if (++inBatch[0] == CrashChild.KEYS_PER_BATCH) {
                    inBatch[0] = 0;
                    expectedBatch[0]++;
                }
                return true;
            });
        }
    }

    @Test
    void fullDiskIsAClearErrorAndLosesNothing() throws Exception {
        assumeTrue(isRoot(), "mounting a small tmpfs needs root (CI runs as root)");
        Path mount = tmp.resolve("small");
        Files.createDirectories(mount);
        exec("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", mount.toString());
        try {
            Path filler = mount.resolve("filler");
            Files.write(filler, new byte[8 << 20]);
            Backend backend = Backends.open(options(mount.resolve("db")));
            long written = fillUntilFull(backend);
            assertThat(written).isPositive();
            Files.delete(filler);
            backend.sync();
            backend.close();
            try (Backend reopened = Backends.open(options(mount.resolve("db"))); ReadTxn txn = reopened.read()) {
                assertThat(txn.count(B1, RangeQuery.all())).isEqualTo(written);
            }
        } finally {
            exec("umount", "-l", mount.toString());
        }
    }

    /** Writes 32 KiB values until a sync reports a full disk; returns the number of keys written. */
    private long fillUntilFull(Backend backend) {
        Random random = new Random(17);
        for (long i = 0; i < 10_000; i++) {
            byte[] value = new byte[32 << 10];
            random.nextBytes(value);
            put(backend, B1, ByteBuffer.allocate(8).putLong(i).array(), value);
            if (i % 16 == 15) {
                long keys = i + 1;
                try {
                    backend.sync();
                } catch (BackendException.DiskFull expected) {
                    assertThat(expected).hasMessageContaining("no space left");
                    return keys;
                }
            }
        }
        throw new AssertionError("48 MiB tmpfs never filled up");
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void exec(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", String.join(" ", command), out).isZero();
    }
}
