package io.cairn.mvcc.op;

import static io.cairn.mvcc.op.Fixture.b;
import static io.cairn.mvcc.op.Fixture.keys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.mvcc.Event;
import io.cairn.mvcc.MvccException;
import io.cairn.mvcc.op.Compare.Result;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Txn: branches, nested paths, one revision per txn, header revisions and the apply-time checks. */
class TxnTest {
    @TempDir
    Path dir;

    private static final Compare K_MISSING = Compare.version(b("k"), Result.EQUAL, 0);
    private static final Compare K_PRESENT = Compare.version(b("k"), Result.EQUAL, 1);

    @Test
    void runsTheBranchTheComparesChoose() {
        try (Fixture f = new Fixture(dir)) {
            TxnRequest txn = new TxnRequest(List.of(K_MISSING), List.of(PutRequest.of(b("k"), b("then"))),
                List.of(PutRequest.of(b("k"), b("else")), RangeRequest.of(b("k"))));
            TxnResponse first = (TxnResponse) f.both(txn).response();
            assertThat(first.succeeded()).isTrue();
            assertThat(first.responses()).hasSize(1).first().isInstanceOf(PutResponse.class);
            TxnResponse second = (TxnResponse) f.both(txn).response();
            assertThat(second.succeeded()).isFalse();
            assertThat(second.responses()).hasSize(2);
            RangeResponse seen = (RangeResponse) second.responses().get(1);
            assertThat(seen.kvs().get(0).value()).isEqualTo(b("else"));
            assertThat(seen.revision()).isEqualTo(3);
        }
    }

    /** etcd TestV3TxnNestedPath: ten nested txns, each taking a random branch (seeds 1..8). */
    @Test
    void nestedTxnsFollowTheirPaths() {
        for (long seed = 1; seed <= 8; seed++) {
            Random rnd = new Random(seed);
            try (Fixture f = new Fixture(dir.resolve("seed-" + seed))) {
                boolean[] path = new boolean[10];
                for (int i = 0; i < path.length; i++) {
                    path[i] = rnd.nextBoolean();
                }
                TxnRequest inner = TxnRequest.of();
                for (int i = path.length - 1; i >= 0; i--) {
                    inner = path[i] ? new TxnRequest(List.of(K_MISSING), List.of(inner), List.of())
                        : new TxnRequest(List.of(K_PRESENT), List.of(), List.of(inner));
                }
                TxnResponse resp = (TxnResponse) f.both(inner).response();
                for (int i = 0; i < path.length; i++) {
                    assertThat(resp.succeeded()).as("seed %d level %d", seed, i).isEqualTo(path[i]);
                    assertThat(resp.revision()).as("nested headers are empty").isEqualTo(i == 0 ? 1 : 0);
                    resp = (TxnResponse) resp.responses().get(0);
                }
            }
        }
    }

    @Test
    void allWritesShareOneRevision() {
        try (Fixture f = new Fixture(dir)) {
            f.putAll("a", "b", "c");
            TxnRequest txn = TxnRequest.of(PutRequest.of(b("x"), b("1")), DeleteRangeRequest.of(b("a"), b("c")),
                RangeRequest.of(new byte[] {0}, new byte[] {0}), TxnRequest.of(PutRequest.of(b("y"), b("2"))),
                DeleteRangeRequest.of(b("nothing")));
            RequestChecks.DEFAULT.check(txn);
            TxnResponse resp = (TxnResponse) f.both(txn).response();
            assertThat(resp.revision()).isEqualTo(5);
            assertThat(((PutResponse) resp.responses().get(0)).revision()).isEqualTo(5);
            assertThat(((DeleteRangeResponse) resp.responses().get(1)).deleted()).isEqualTo(2);
            RangeResponse inside = (RangeResponse) resp.responses().get(2);
            assertThat(keys(inside.kvs())).containsExactly("c", "x");
            assertThat(inside.revision()).isEqualTo(5);
            assertThat(((DeleteRangeResponse) resp.responses().get(4)).revision()).isEqualTo(5);
            List<Event> events = f.store.history(5, 5, 10);
            assertThat(events).hasSize(4).allSatisfy(e -> assertThat(e.kv().modRevision()).isEqualTo(5));
            assertThat(f.store.currentRevision()).isEqualTo(5);
        }
    }

    /** etcd TestV3TxnRevision. */
    @Test
    void readOnlyOrNoOpTxnsKeepTheRevision() {
        try (Fixture f = new Fixture(dir)) {
            PutResponse put = (PutResponse) f.both(PutRequest.of(b("abc"), b("def"))).response();
            TxnResponse get = (TxnResponse) f.both(TxnRequest.of(RangeRequest.of(b("abc")))).response();
            assertThat(get.revision()).isEqualTo(put.revision());
            TxnResponse del = (TxnResponse) f.both(TxnRequest.of(DeleteRangeRequest.of(b("def")))).response();
            assertThat(del.revision()).isEqualTo(put.revision());
            TxnResponse empty = (TxnResponse) f.both(TxnRequest.of(TxnRequest.of())).response();
            assertThat(empty.revision()).isEqualTo(put.revision());
            TxnResponse write = (TxnResponse) f.both(TxnRequest.of(PutRequest.of(b("abc"), b("123")))).response();
            assertThat(write.revision()).isEqualTo(put.revision() + 1);
        }
    }

    @Test
    void nestedComparesSeeTheStateBeforeTheTxn() {
        try (Fixture f = new Fixture(dir)) {
            TxnRequest nested = new TxnRequest(List.of(K_MISSING), List.of(PutRequest.of(b("seen"), b("before"))),
                List.of(PutRequest.of(b("seen"), b("after"))));
            TxnRequest txn = TxnRequest.of(PutRequest.of(b("k"), b("v")), nested);
            RequestChecks.DEFAULT.check(txn);
            TxnResponse resp = (TxnResponse) f.both(txn).response();
            assertThat(((TxnResponse) resp.responses().get(1)).succeeded()).isTrue();
            assertThat(f.ops.range(RangeRequest.of(b("seen"))).kvs().get(0).value()).isEqualTo(b("before"));
        }
    }

    /** etcd TestV3TxnInvalidRange: a bad range fails the whole txn before its put runs. */
    @Test
    void invalidRangeRevisionsFailTheTxnBeforeAnyWrite() {
        try (Fixture f = new Fixture(dir)) {
            f.putAll("foo", "foo", "foo");
            f.store.compact(2).runToCompletion();
            f.model.compact(2);
            RequestOp put = PutRequest.of(b("foo"), b("bar"));
            assertThat(f.both(TxnRequest.of(put, RangeRequest.of(b("foo")).withRevision(100))).error())
                .isEqualTo("FutureRevision: mvcc: required revision is a future revision");
            assertThat(f.both(TxnRequest.of(put, RangeRequest.of(b("foo")).withRevision(1))).error())
                .isEqualTo("Compacted: mvcc: required revision has been compacted");
            assertThat(f.store.currentRevision()).isEqualTo(4);
            assertThat(f.both(TxnRequest.of(put, RangeRequest.of(b("foo")).withRevision(4))).error()).isNull();
            assertThat(f.both(TxnRequest.of(RangeRequest.of(b("foo")).withRevision(6))).error())
                .isEqualTo("FutureRevision: mvcc: required revision is a future revision");
        }
    }

    @Test
    void putsAreCheckedBeforeRanges() {
        try (Fixture f = new Fixture(dir)) {
            TxnRequest txn = TxnRequest.of(RangeRequest.of(b("a")).withRevision(100),
                PutRequest.of(b("a"), b("v")).withLease(99));
            assertThat(f.both(txn).error()).isEqualTo("LeaseNotFound: lease not found");
        }
    }

    /** Where etcd 3.5 passes validation and then panics applying, Cairn fails first and writes nothing. */
    @Test
    void ignorePutAfterAFromKeyDeleteOfItsKeyFailsWithoutWriting() {
        try (Fixture f = new Fixture(dir)) {
            f.putAll("a", "b");
            TxnRequest txn = TxnRequest.of(DeleteRangeRequest.of(b("a"), b("\0")),
                PutRequest.of(b("b"), null).withIgnoreValue(true));
            RequestChecks.DEFAULT.check(txn);
            assertThat(f.both(txn).error()).isEqualTo("KeyNotFound: etcdserver: key not found");
            assertThat(f.store.currentRevision()).isEqualTo(3);
            TxnRequest putFirst = TxnRequest.of(PutRequest.of(b("b"), null).withIgnoreValue(true),
                DeleteRangeRequest.of(b("a"), b("\0")), PutRequest.of(b("a"), b("again")));
            RequestChecks.DEFAULT.check(putFirst);
            TxnResponse resp = (TxnResponse) f.both(putFirst).response();
            assertThat(resp.revision()).isEqualTo(4);
            assertThat(keys(f.ops.range(RangeRequest.of(b("a"), b("\0"))).kvs())).containsExactly("a");
            assertThat(f.ops.range(RangeRequest.of(b("a"))).kvs().get(0).version()).isEqualTo(1);
        }
    }

    @Test
    void emptyOpsFailBeforeAnyWrite() {
        try (Fixture f = new Fixture(dir)) {
            TxnRequest txn = TxnRequest.of(PutRequest.of(b("a"), b("v")), RequestOp.Empty.INSTANCE);
            assertThatThrownBy(() -> f.ops.txn(txn)).isInstanceOf(MvccException.KeyNotFound.class)
                .hasMessage("etcdserver: key not found");
            assertThat(f.store.currentRevision()).isEqualTo(1);
        }
    }

    /** etcd issue 22376: a key deleted and put again in one revision keeps its value through compaction. */
    @Test
    void deleteAndRecreateInOneRevisionSurvivesCompactionAndReopen() {
        try (Fixture f = new Fixture(dir)) {
            f.putAll("a", "b");
            TxnRequest rewrite = TxnRequest.of(DeleteRangeRequest.of(b("a"), b("\0")),
                PutRequest.of(b("a"), b("new")));
            RequestChecks.DEFAULT.check(rewrite);
            assertThat(((TxnResponse) f.both(rewrite).response()).revision()).isEqualTo(4);
            f.store.compact(4).runToCompletion();
            f.model.compact(4);
            assertThat(f.reopen()).isEmpty();
            f.both(RangeRequest.of(b("a"), b("\0")));
            assertThat(keys(f.ops.range(RangeRequest.of(b("a"), b("\0"))).kvs())).containsExactly("a");
            PutResponse again = (PutResponse) f.both(PutRequest.of(b("a"), b("newer")).withPrevKv(true)).response();
            assertThat(again.prevKv().value()).isEqualTo(b("new"));
            assertThat(again.prevKv().createRevision()).isEqualTo(4);
        }
    }
}
