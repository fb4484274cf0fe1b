package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.hostile.Corpus;
import io.cairn.server.hostile.FuzzCase;
import io.cairn.server.hostile.HostileClient;
import io.cairn.server.hostile.HostileClient.Outcome;
import io.cairn.server.hostile.Integrity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutation fuzzing of the client port: valid requests of every fuzzed endpoint ({@link Corpus}) mutated
 * ({@link io.cairn.server.hostile.ProtoMutator}, {@link io.cairn.server.hostile.JsonMutator}) and sent over gRPC
 * and the JSON gateway to one member on RocksDB. Each case must be answered within the deadline with an error
 * etcd could give ({@link FuzzCase#verdict}); after every batch the member must still take a put and serve the
 * known keys unchanged; at the end HashKV must be stable and equal after a restart. Case {@code i} depends only on
 * the seed and {@code i}: {@code -Dcairn.fuzz.seed=S -Dcairn.fuzz.only=i} replays one,
 * {@code -Dcairn.fuzz.cases=N} runs a long campaign (default {@value #DEFAULT_CASES}), from case
 * {@code -Dcairn.fuzz.first=F} (default 0).
 */
class HostileInputFuzzTest {
    static final int DEFAULT_CASES = 800;
    private static final long SEED = Long.getLong("cairn.fuzz.seed", 20261121L);
    private static final int CASES = Integer.getInteger("cairn.fuzz.cases", DEFAULT_CASES);
    private static final Integer ONLY = Integer.getInteger("cairn.fuzz.only");
    private static final int FIRST = Integer.getInteger("cairn.fuzz.first", 0);
    private static final int BATCH = 500;
    private static final int LANES = 4;

    @TempDir
    Path dir;

    @Test
    void mutatedRequestsGetErrorsAndLeaveTheDataIntact() throws Exception {
        List<Corpus.Endpoint> endpoints = Corpus.endpoints();
        int first = ONLY == null ? FIRST : ONLY;
        int end = ONLY == null ? FIRST + CASES : ONLY + 1;
        Map<String, Integer> outcomes = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        TestMember member = TestMember.start(dir, "rocksdb");
        ExecutorService lanes = Executors.newFixedThreadPool(LANES);
        int tried = 0;
        int skipped = 0;
        try (Integrity integrity = Integrity.seed(member.endpoint(), 50)) {
            try (HostileClient client = new HostileClient("127.0.0.1", member.server.port())) {
                for (int from = first; from < end && failures.isEmpty(); from += BATCH) {
                    int to = Math.min(end, from + BATCH);
                    List<Future<FuzzCase.Result>> batch = new ArrayList<>();
                    for (int i = from; i < to; i++) {
                        FuzzCase c = FuzzCase.of(SEED, i, endpoints);
                        batch.add(lanes.submit(() -> c.run(client)));
                    }
                    for (Future<FuzzCase.Result> f : batch) {
                        FuzzCase.Result r = f.get(3 * HostileClient.DEADLINE.toSeconds(), TimeUnit.SECONDS);
                        if (r.skipped()) {
                            skipped++;
                            continue;
                        }
                        tried++;
                        Outcome o = r.outcome();
                        outcomes.merge(r.fuzzCase().endpoint().grpcMethod() + " " + o.transport() + " " + o.code(),
                            1, Integer::sum);
                        r.fuzzCase().verdict(o).ifPresent(why -> failures.add(why + "\n  " + r.fuzzCase()
                            + "\n  got " + o + "\n  reproduce: -Dcairn.fuzz.seed=" + SEED + " -Dcairn.fuzz.only="
                            + r.fuzzCase().index()));
                    }
                    integrity.check("after cases [" + from + ", " + to + ") of seed " + SEED);
                    if ((to - first) % (20 * BATCH) == 0) {
                        System.out.printf("hostile input fuzz: %d cases sent, %d failed so far%n", to - first,
                            failures.size());
                    }
                }
            }
            System.out.printf("hostile input fuzz: seed %d, %d cases tried (%d skipped as touching known keys), "
                + "%d failed; outcomes %s%n", SEED, tried, skipped, failures.size(), outcomes);
            assertThat(failures).as("fuzz failures (seed %d)", SEED).isEmpty();
            long revision = integrity.revision();
            int hash = integrity.hashKv(revision);
            member.close();
            member = TestMember.start(dir, "rocksdb");
            integrity.reconnect(member.endpoint());
            assertThat(integrity.hashKv(revision)).as("HashKV at %d after a restart", revision).isEqualTo(hash);
            integrity.check("after a restart, seed " + SEED);
        } finally {
            lanes.shutdownNow();
            member.close();
        }
        assertThat(tried).isGreaterThan((end - first) / 2);
    }
}
