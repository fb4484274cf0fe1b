package io.cairn.mvcc.op;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.backend.Backend;
import io.cairn.backend.BackendOptions;
import io.cairn.backend.Backends;
import io.cairn.mvcc.Compaction;
import io.cairn.mvcc.KeyValue;
import io.cairn.mvcc.KvStore;
import io.cairn.mvcc.LeaseAttachments;
import io.cairn.mvcc.MvccConfig;
import io.cairn.mvcc.MvccException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.LongPredicate;
import java.util.function.Supplier;

/**
 * A {@link KvStore} on the memory engine (or a named one) with {@link KvOps} over it, and optionally the
 * {@link EtcdModel} run side by side: {@link #both} applies a request to each and asserts they answer alike.
 */
final class Fixture implements AutoCloseable {
    /** Leases 1, 2 and 3 exist; every other id does not. */
    static final LongPredicate LEASES = id -> id >= 1 && id <= 3;

    private final Path dir;
    private final MvccConfig config;
    private final String engine;
    private Backend backend;
    KvStore store;
    KvOps ops;
    final EtcdModel model = new EtcdModel(LEASES);

    Fixture(Path dir) {
        this(dir, MvccConfig.DEFAULT);
    }

    Fixture(Path dir, MvccConfig config) {
        this(dir, config, "memory");
    }

    /** On a named engine; engines are test-scope runtime dependencies of mvcc, found by ServiceLoader. */
    Fixture(Path dir, MvccConfig config, String engine) {
        this.dir = dir;
        this.config = config;
        this.engine = engine;
        open();
    }

    private void open() {
        backend = Backends.open(BackendOptions.of(dir, engine).withBatchLimitOps(64));
        store = KvStore.open(backend, config, LeaseAttachments.NONE);
        ops = new KvOps(store, LEASES);
    }

    /** Closes the store and its backend and opens them again on the same directory; returns a resumed compaction. */
    Optional<Compaction> reopen() {
        store.close();
        backend.close();
        open();
        return store.resumedCompaction();
    }

    @Override
    public void close() {
        store.close();
        backend.close();
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String s(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    static List<String> keys(List<KeyValue> kvs) {
        return kvs.stream().map(kv -> s(kv.key())).toList();
    }

    /** Puts each key with value "bar", one revision each. */
    void putAll(String... keys) {
        for (String k : keys) {
            both(PutRequest.of(b(k), b("bar")));
        }
    }

    /** What a request produced: the response, or the failure's type and message. */
    record Outcome(Object response, String error) {
        static Outcome of(Supplier<?> call) {
            try {
                return new Outcome(call.get(), null);
            } catch (MvccException e) {
                return new Outcome(null, e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
    }

    /** Applies {@code request} to the store and to the model and asserts both give the same outcome. */
    Outcome both(RequestOp request) {
        Outcome actual = Outcome.of(() -> apply(ops, request));
        Outcome expected = Outcome.of(() -> applyModel(request));
        assertThat(actual).as("%s", request).isEqualTo(expected);
        assertThat(store.currentRevision()).as("revision after %s", request).isEqualTo(model.revision());
        return actual;
    }

    static ResponseOp apply(KvOps ops, RequestOp request) {
        if (request instanceof RangeRequest r) {
            return ops.range(r);
        } else if (request instanceof PutRequest p) {
            return ops.put(p);
        } else if (request instanceof DeleteRangeRequest d) {
            return ops.deleteRange(d);
        } else if (request instanceof TxnRequest t) {
            return ops.txn(t);
        }
        throw new IllegalArgumentException("not a request: " + request);
    }

    private ResponseOp applyModel(RequestOp request) {
        if (request instanceof RangeRequest r) {
            return model.range(r);
        } else if (request instanceof PutRequest p) {
            return model.put(p);
        } else if (request instanceof DeleteRangeRequest d) {
            return model.deleteRange(d);
        } else if (request instanceof TxnRequest t) {
            return model.txn(t);
        }
        throw new IllegalArgumentException("not a request: " + request);
    }
}
