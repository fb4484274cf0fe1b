package io.cairn.server.rpc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.cairn.api.etcdserverpb.ResponseHeader;
import io.cairn.api.etcdserverpb.WatchResponse;
import io.cairn.api.mvccpb.Event;
import io.cairn.api.mvccpb.KeyValue;
import io.cairn.backend.Backend;
import io.cairn.backend.BackendOptions;
import io.cairn.backend.Backends;
import io.cairn.mvcc.KvStore;
import io.cairn.mvcc.KvWrite;
import io.cairn.mvcc.LeaseAttachments;
import io.cairn.mvcc.MvccConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** etcd's sendFragments rules and the prev_kv/header filling of {@link WatchEncoder}. */
class WatchEncoderTest {
    private static final ResponseHeader HEADER = ResponseHeader.newBuilder().setClusterId(1).setMemberId(2)
        .setRevision(42).setRaftTerm(3).build();

    private static Event event(int valueBytes, long rev) {
        return Event.newBuilder().setKv(KeyValue.newBuilder().setKey(ByteString.copyFromUtf8("k" + rev))
            .setModRevision(rev).setValue(ByteString.copyFrom(new byte[valueBytes]))).build();
    }

    private static WatchResponse response(int... valueBytes) {
        WatchResponse.Builder b = WatchResponse.newBuilder().setHeader(HEADER).setWatchId(7);
        for (int i = 0; i < valueBytes.length; i++) {
            b.addEvents(event(valueBytes[i], i + 1));
        }
        return b.build();
    }

    private static int eventBytes(Event e) {
        return CodedOutputStream.computeMessageSize(WatchResponse.EVENTS_FIELD_NUMBER, e);
    }

    @Test
    void aResponseBelowTheLimitOrWithOneEventGoesWhole() {
        WatchResponse small = response(10, 10);
        assertThat(WatchEncoder.fragments(small, small.getSerializedSize() + 1)).containsExactly(small);
        WatchResponse huge = response(10_000);
        assertThat(WatchEncoder.fragments(huge, 100)).containsExactly(huge);
    }

    @Test
    void fragmentsTakeEventsWhileBelowTheLimitAndOnlyTheLastClearsTheFlag() {
        WatchResponse wr = response(100, 100, 100, 100, 100);
        int base = wr.toBuilder().clearEvents().setFragment(true).build().getSerializedSize();
        int limit = base + 2 * eventBytes(wr.getEvents(0)) + 1;
        List<WatchResponse> parts = WatchEncoder.fragments(wr, limit);
        assertThat(parts).extracting(WatchResponse::getEventsCount).containsExactly(2, 2, 1);
        assertThat(parts).extracting(WatchResponse::getFragment).containsExactly(true, true, false);
        assertThat(parts).allSatisfy(p -> {
            assertThat(p.getHeader()).isEqualTo(HEADER);
            assertThat(p.getWatchId()).isEqualTo(7);
            assertThat(p.getSerializedSize()).isLessThan(limit);
        });
    }

    static Stream<Arguments> seeds() {
        return new SplittableRandom(20_261_121).longs(40).mapToObj(Arguments::of);
    }

    /** Random event sizes and limits against the rules, checked on the output alone; prints the seed. */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void randomResponsesFragmentByEtcdsRules(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] sizes = random.ints(random.nextInt(1, 40), 0, 3_000).toArray();
        WatchResponse wr = response(sizes);
        int limit = random.nextInt(50, 12_000);
        List<WatchResponse> parts = WatchEncoder.fragments(wr, limit);
        List<Event> joined = new ArrayList<>();
        parts.forEach(p -> joined.addAll(p.getEventsList()));
        assertThat(joined).as("seed %s: events kept in order", seed).isEqualTo(wr.getEventsList());
        if (wr.getSerializedSize() < limit || sizes.length < 2) {
            assertThat(parts).as("seed %s", seed).containsExactly(wr);
            return;
        }
        for (int i = 0; i < parts.size(); i++) {
            WatchResponse p = parts.get(i);
            boolean last = i == parts.size() - 1;
            assertThat(p.getFragment()).as("seed %s part %s", seed, i).isEqualTo(!last);
            assertThat(p.getEventsCount()).isPositive();
            if (p.getEventsCount() > 1) {
                assertThat(p.getSerializedSize()).as("seed %s part %s", seed, i).isLessThan(limit);
            }
            if (!last) {
                Event nextEvent = parts.get(i + 1).getEvents(0);
                int withNext = p.getSerializedSize() + eventBytes(nextEvent);
                assertThat(withNext).as("seed %s part %s takes as many as fit", seed, i).isGreaterThanOrEqualTo(limit);
            }
        }
    }

    @Test
    void prevKvIsReadBeforeEachEventButACreateAndLeftOutWhenCompacted(@TempDir Path dir) {
        try (Backend backend = Backends.open(BackendOptions.of(dir, "memory"));
             KvStore store = KvStore.open(backend, MvccConfig.DEFAULT, LeaseAttachments.NONE)) {
            long r1 = write(store, "a", "1");
            long r2 = write(store, "a", "2");
            long r3 = write(store, "a", "3");
            var events = List.of(io.cairn.mvcc.Event.put(kv(store, r1)), io.cairn.mvcc.Event.put(kv(store, r2)),
                io.cairn.mvcc.Event.put(kv(store, r3)));
            WatchEncoder encoder = new WatchEncoder(store, rev -> HEADER.toBuilder().setRevision(rev).build(), 1 << 20);
            var withPrev = encoder.encode(mvccResponse(events, r3, true), false).get(0);
            assertThat(withPrev.getHeader().getRevision()).isEqualTo(r3);
            assertThat(withPrev.getEventsList()).extracting(e -> e.getPrevKv().getValue().toString(UTF_8))
                .containsExactly("", "1", "2");
            assertThat(withPrev.getEvents(0).hasPrevKv()).as("a create has none").isFalse();
            var without = encoder.encode(mvccResponse(events, r3, false), false).get(0);
            assertThat(without.getEventsList()).noneMatch(Event::hasPrevKv);
            store.compact(r3).runToCompletion();
            var compacted = encoder.encode(mvccResponse(events.subList(2, 3), r3, true), false).get(0);
            assertThat(compacted.getEvents(0).hasPrevKv()).as("revision %s is compacted", r2).isFalse();
        }
    }

    private static long write(KvStore store, String key, String value) {
        try (KvWrite w = store.write()) {
            return w.put(key.getBytes(UTF_8), value.getBytes(UTF_8), 0);
        }
    }

    private static io.cairn.mvcc.KeyValue kv(KvStore store, long rev) {
        try (var read = store.read()) {
            return read.range(io.cairn.mvcc.KeyRange.single("a".getBytes(UTF_8)),
                io.cairn.mvcc.RangeOptions.atRevision(rev)).kvs().get(0);
        }
    }

    private static io.cairn.mvcc.watch.WatchResponse mvccResponse(List<io.cairn.mvcc.Event> events, long rev,
        boolean prevKv) {
        return new io.cairn.mvcc.watch.WatchResponse(7, events, rev, 0, false, false, "", prevKv);
    }
}
