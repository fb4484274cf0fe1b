package io.cairn.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.backend.Backend;
import io.cairn.backend.BackendOptions;
import io.cairn.backend.Backends;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same history gives the same HashKV on every engine: the key bucket holds identical bytes everywhere. */
class HashAcrossEnginesTest {
    private static final List<String> ENGINES = List.of("memory", "xodus", "mapdb", "mvstore", "rocksdb");

    @TempDir
    Path tmp;

    @Test
    void hashKvIsIdenticalOnEveryEngine() {
        long seed = 77;
        Map<String, List<KvHash>> byEngine = new LinkedHashMap<>();
        for (String engine : ENGINES) {
            try (Backend backend = Backends.open(BackendOptions.of(tmp.resolve(engine), engine)
                .withBatchLimitOps(50))) {
                KvStore store = KvStore.open(backend, MvccConfig.DEFAULT, LeaseAttachments.NONE);
                writeHistory(store, new Random(seed));
                KvHash atMiddle = store.hashKv(store.currentRevision() / 2 + 1);
                store.compact(store.currentRevision() / 3).runToCompletion();
                byEngine.put(engine, List.of(atMiddle, store.hashKv(0)));
                store.close();
            }
        }
        assertThat(byEngine.values()).as("seed %d: %s", seed, byEngine).containsOnly(byEngine.get("memory"));
        assertThat(byEngine.get("memory").get(0)).isNotEqualTo(byEngine.get("memory").get(1));
    }

    private static void writeHistory(KvStore store, Random random) {
        for (int i = 0; i < 400; i++) {
            try (KvWrite w = store.write()) {
                byte[] key = {(byte) random.nextInt(30)};
                if (random.nextInt(5) == 0) {
                    w.deleteRange(KeyRange.single(key));
                } else {
                    byte[] value = new byte[random.nextInt(40)];
                    random.nextBytes(value);
                    w.put(key, value, random.nextInt(3));
                }
            }
        }
    }
}
