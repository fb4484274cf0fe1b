package io.cairn.server;

import static io.cairn.server.Jetcd.bs;
import static io.cairn.server.Jetcd.get;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.PutResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The real etcd Java client (jetcd 0.8.7) against an in-process member on the default engine. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JetcdCompatibilityTest {

    @TempDir
    static Path dir;
    private TestMember server;
    private Client client;
    private KV kv;

    @BeforeAll
    void start() {
        server = TestMember.start(dir, "rocksdb");
        client = Client.builder().endpoints(server.endpoint()).build();
        kv = client.getKVClient();
    }

    @AfterAll
    void stop() {
        client.close();
        server.close();
    }



    @Test
    void putThenGetWithHeader() throws Exception {
        PutResponse put = get(kv.put(bs("jetcd/a"), bs("1")));
        assertThat(put.getHeader().getMemberId()).isEqualTo(server.member.memberId());
        assertThat(put.getHeader().getClusterId()).isEqualTo(server.member.clusterId());
        assertThat(put.getHeader().getRaftTerm()).isEqualTo(server.member.raftView().term()).isPositive();
        GetResponse got = get(kv.get(bs("jetcd/a")));
        assertThat(got.getKvs()).hasSize(1);
        KeyValue a = got.getKvs().get(0);
        assertThat(a.getValue().toString(UTF_8)).isEqualTo("1");
        assertThat(a.getModRevision()).isEqualTo(put.getHeader().getRevision());
        assertThat(a.getVersion()).isEqualTo(1);
        PutResponse again = get(kv.put(bs("jetcd/a"), bs("2"), PutOption.builder().withPrevKV().build()));
        assertThat(again.getPrevKv().getValue().toString(UTF_8)).isEqualTo("1");
    }

    @Test
    void rangePrefixAndDelete() throws Exception {
        for (String k : List.of("pfx/1", "pfx/2", "pfx/3", "pfy/1")) {
            get(kv.put(bs(k), bs("v-" + k)));
        }
        GetResponse prefix = get(kv.get(bs("pfx/"), GetOption.builder().isPrefix(true).build()));
        assertThat(prefix.getCount()).isEqualTo(3);
        assertThat(prefix.getKvs()).extracting(x -> x.getKey().toString(UTF_8))
            .containsExactly("pfx/1", "pfx/2", "pfx/3");
        GetResponse limited = get(kv.get(bs("pfx/"), GetOption.builder().isPrefix(true).withLimit(2).build()));
        assertThat(limited.getKvs()).hasSize(2);
        assertThat(limited.isMore()).isTrue();
        var deleted = get(kv.delete(bs("pfx/"), DeleteOption.builder().isPrefix(true).withPrevKV(true).build()));
        assertThat(deleted.getDeleted()).isEqualTo(3);
        assertThat(deleted.getPrevKvs()).hasSize(3);
        assertThat(get(kv.get(bs("pfx/"), GetOption.builder().isPrefix(true).build())).getCount()).isZero();
        assertThat(get(kv.get(bs("pfy/1"))).getCount()).isEqualTo(1);
    }

    @Test
    void txnCompareAndSwap() throws Exception {
        get(kv.put(bs("txn/k"), bs("old")));
        TxnResponse swapped = get(kv.txn()
            .If(new Cmp(bs("txn/k"), Cmp.Op.EQUAL, CmpTarget.value(bs("old"))))
            .Then(Op.put(bs("txn/k"), bs("new"), PutOption.DEFAULT), Op.get(bs("txn/k"), GetOption.DEFAULT))
            .Else(Op.get(bs("txn/k"), GetOption.DEFAULT))
            .commit());
        assertThat(swapped.isSucceeded()).isTrue();
        assertThat(swapped.getGetResponses().get(0).getKvs().get(0).getValue().toString(UTF_8)).isEqualTo("new");
        TxnResponse failed = get(kv.txn()
            .If(new Cmp(bs("txn/k"), Cmp.Op.EQUAL, CmpTarget.value(bs("old"))))
            .Then(Op.put(bs("txn/k"), bs("newer"), PutOption.DEFAULT))
            .Else(Op.get(bs("txn/k"), GetOption.DEFAULT))
            .commit());
        assertThat(failed.isSucceeded()).isFalse();
        assertThat(failed.getGetResponses().get(0).getKvs().get(0).getValue().toString(UTF_8)).isEqualTo("new");
    }

    @Test
    void compactionMakesOldRevisionsUnreadable() throws Exception {
        long first = get(kv.put(bs("cmp/k"), bs("1"))).getHeader().getRevision();
        long second = get(kv.put(bs("cmp/k"), bs("2"))).getHeader().getRevision();
        get(kv.compact(second, CompactOption.newBuilder().withCompactPhysical(true).build()));
        assertThat(get(kv.get(bs("cmp/k"), GetOption.builder().withRevision(second).build())).getKvs())
            .hasSize(1);
        assertThatThrownBy(() -> get(kv.get(bs("cmp/k"), GetOption.builder().withRevision(first).build())))
            .isInstanceOf(ExecutionException.class)
            .hasMessageContaining("etcdserver: mvcc: required revision has been compacted");
        assertThatThrownBy(() -> get(kv.get(bs("cmp/k"), GetOption.builder().withRevision(1_000_000).build())))
            .hasMessageContaining("etcdserver: mvcc: required revision is a future revision");
    }

    @Test
    void invalidRequestsGetEtcdErrors() {
        assertThatThrownBy(() -> get(kv.put(bs("lease/k"), bs("v"), PutOption.builder().withLeaseId(42).build())))
            .hasMessageContaining("etcdserver: requested lease not found");
        assertThatThrownBy(() -> get(kv.txn()
            .Then(Op.put(bs("dup"), bs("1"), PutOption.DEFAULT), Op.put(bs("dup"), bs("2"), PutOption.DEFAULT))
            .commit()))
            .hasMessageContaining("etcdserver: duplicate key given in txn request");
    }
}
