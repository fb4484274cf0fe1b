package io.cairn.mvcc;

import io.cairn.backend.Backend;
import io.cairn.backend.SwappableBackend;
import io.cairn.backend.BackendOptions;
import io.cairn.backend.Backends;
import io.cairn.mvcc.quota.AlarmType;
import io.cairn.mvcc.watch.WatchConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A raft follower's snapshot install, in miniature: the member under test runs state A on an engine behind a
 * {@link SwappableBackend}; a leader runs A's history and then B's, and its backend image is restored into fresh
 * engines (the follower's new engine, and more for reference opens). Revisions of the two histories:
 * <pre>
 *   A: grant 100, 101 | 2 put a/only (100) | 3 put shared=A1 | 4 put shared=A2 (101) | 5 put gone | 6 del gone
 *      alarm (1, NOSPACE); compacted at 4; consistent index 10, term 2
 *   B: A, then 7 revoke 101 (del shared) | grant 200 | 8 put b/1 (200) | 9 put b/2 (200) | 10 put b/100 (100)
 *      | 11 del a/only | 12 put shared=B | [compaction] | 13 put b/3 | [scheduled compaction]
 *      alarms (2, CORRUPT) only; consistent index 20, term 3
 * </pre>
 */
abstract class ReloadFixture {
    static final long A_REV = 6;
    static final long B_REV = 13;

    @TempDir
    Path tmp;
    final AtomicLong clock = new AtomicLong(-5_000_000_000L);
    String engine = "memory";
    SwappableBackend swappable;
    MvccNode member;
    private final List<MvccNode> nodes = new ArrayList<>();
    private final List<Backend> backends = new ArrayList<>();

    @AfterEach
    void closeAll() {
        nodes.forEach(MvccNode::close);
        backends.forEach(Backend::close);
    }

    /** The member under test on a new engine behind {@link #swappable}, with {@code before} then A applied. */
    MvccNode openMember(WatchConfig watchConfig, Consumer<MvccNode> before) {
        swappable = new SwappableBackend(engine("a"));
        member = node(swappable, watchConfig);
        before.accept(member);
        historyA(member);
        return member;
    }

    MvccNode openMember() {
        return openMember(WatchConfig.DEFAULT, n -> { });
    }

    MvccNode node(Backend backend, WatchConfig watchConfig) {
        MvccNode n = new MvccNode(backend, clock::get, watchConfig);
        nodes.add(n);
        return n;
    }

    private Backend engine(String dir) {
        Backend b = Backends.open(BackendOptions.of(tmp.resolve(dir), engine));
        backends.add(b);
        return b;
    }

    /** The image of a leader's backend after {@code history}, as a snapshot message carries it. */
    byte[] imageOf(Consumer<MvccNode> history) {
        MvccNode leader = node(engine("leader"), WatchConfig.DEFAULT);
        history.accept(leader);
        leader.backend.commit();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        leader.backend.snapshot(out);
        return out.toByteArray();
    }

    /** {@code image} installed into a fresh engine in {@code dir}. */
    Backend install(byte[] image, String dir) {
        Backend b = Backends.restore(BackendOptions.of(tmp.resolve(dir), engine), new ByteArrayInputStream(image),
            bytes -> { });
        backends.add(b);
        return b;
    }

    /** A fresh open of everything on a copy of {@code image}: what the reloaded member must answer. */
    MvccNode freshOn(byte[] image) {
        return node(install(image, "fresh"), WatchConfig.DEFAULT);
    }

    static void historyA(MvccNode n) {
        n.lessor.grant(100, 60);
        n.lessor.grant(101, 30);
        n.put("a/only", "1", 100);
        n.put("shared", "A1", 0);
        n.put("shared", "A2", 101);
        n.put("gone", "x", 0);
        n.delete("gone");
        n.alarms.activate(1, AlarmType.NOSPACE);
        n.kv.compact(4).runToCompletion();
        n.kv.setConsistentIndex(10, 2);
        n.kv.saveConsistentIndex();
    }

    /**
     * A's history, then B's: a compaction at {@code compactAt} before revision 13 and one scheduled at
     * {@code scheduleAt} but never run (a crash before its steps) after it; 0 for none.
     */
    static Consumer<MvccNode> historyB(long compactAt, long scheduleAt) {
        return n -> {
            historyA(n);
            n.lessor.revoke(101);
            n.lessor.grant(200, 120);
            n.put("b/1", "1", 200);
            n.put("b/2", "2", 200);
            n.put("b/100", "x", 100);
            n.delete("a/only");
            n.put("shared", "B", 0);
            n.alarms.deactivate(1, AlarmType.NOSPACE);
            n.alarms.activate(2, AlarmType.CORRUPT);
            if (compactAt > 0) {
                n.kv.compact(compactAt).runToCompletion();
            }
            n.put("b/3", "3", 0);
            if (scheduleAt > 0) {
                n.kv.compact(scheduleAt);
            }
            n.kv.setConsistentIndex(20, 3);
            n.kv.saveConsistentIndex();
        };
    }
}
