package io.cairn.mvcc.op;

import io.cairn.mvcc.KeyValue;
import io.cairn.mvcc.MvccException;
import io.cairn.mvcc.op.RangeRequest.SortOrder;
import io.cairn.mvcc.op.RangeRequest.SortTarget;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongPredicate;

/**
 * A naive model of etcd 3.5's KV semantics, the oracle for {@link KvOps}: every key keeps its full history as a
 * list of states (null: deleted) tagged with the main revision that wrote them, in a TreeMap of ISO-8859-1 strings
 * (whose order is bytewise unsigned). Reads scan every key; nothing is indexed; compaction only moves the floor.
 * A transaction that fails runs on a copy that is thrown away.
 */
final class EtcdModel {
    private record State(long main, KeyValue kv) {
    }

    private TreeMap<String, List<State>> keys = new TreeMap<>();
    private final LongPredicate leaseExists;
    private long rev = 1;
    private long compacted = -1;
    /** Inside a write: whether it changed anything yet (then reads see revision rev + 1). */
    private boolean changed;

    EtcdModel(LongPredicate leaseExists) {
        this.leaseExists = leaseExists;
    }

    long revision() {
        return rev;
    }

    long compacted() {
        return compacted;
    }

    static String str(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static boolean inRange(String k, byte[] key, byte[] end) {
        String from = str(key);
        if (end.length == 0) {
            return k.equals(from);
        }
        if (end.length == 1 && end[0] == 0) {
            return k.compareTo(from) >= 0;
        }
        return k.compareTo(from) >= 0 && k.compareTo(str(end)) < 0;
    }

    private KeyValue stateAt(String key, long at) {
        KeyValue found = null;
        for (State s : keys.getOrDefault(key, List.of())) {
            if (s.main() <= at) {
                found = s.kv();
            }
        }
        return found;
    }

    private List<KeyValue> liveAt(byte[] key, byte[] end, long at) {
        List<KeyValue> out = new ArrayList<>();
        for (String k : keys.keySet()) {
            KeyValue kv = inRange(k, key, end) ? stateAt(k, at) : null;
            if (kv != null) {
                out.add(kv);
            }
        }
        return out;
    }

    private long visible() {
        return changed ? rev + 1 : rev;
    }

    RangeResponse range(RangeRequest r) {
        long cur = visible();
        if (r.revision() > cur) {
            throw new MvccException.FutureRevision(r.revision(), cur);
        }
        long at = r.revision() <= 0 ? cur : r.revision();
        if (at < compacted) {
            throw new MvccException.Compacted(at, compacted);
        }
        List<KeyValue> all = liveAt(r.key(), r.rangeEnd(), at);
        List<KeyValue> kvs = new ArrayList<>(r.countOnly() ? List.of() : all);
        boolean readsAll = r.sortOrder() != SortOrder.NONE || r.minModRevision() != 0 || r.maxModRevision() != 0
            || r.minCreateRevision() != 0 || r.maxCreateRevision() != 0;
        if (!readsAll && r.limit() > 0 && kvs.size() > r.limit() + 1) {
            kvs = new ArrayList<>(kvs.subList(0, (int) r.limit() + 1));
        }
        kvs.removeIf(kv -> r.maxModRevision() != 0 && kv.modRevision() > r.maxModRevision()
            || r.minModRevision() != 0 && kv.modRevision() < r.minModRevision()
            || r.maxCreateRevision() != 0 && kv.createRevision() > r.maxCreateRevision()
            || r.minCreateRevision() != 0 && kv.createRevision() < r.minCreateRevision());
        sortLikeEtcd(kvs, r.sortOrder(), r.sortTarget());
        boolean more = r.limit() > 0 && kvs.size() > r.limit();
        if (more) {
            kvs = kvs.subList(0, (int) r.limit());
        }
        if (r.keysOnly()) {
            kvs = kvs.stream().map(kv -> new KeyValue(kv.key(), kv.createRevision(), kv.modRevision(), kv.version(),
                null, kv.lease())).toList();
        }
        return new RangeResponse(cur, kvs, more, all.size());
    }

    private static void sortLikeEtcd(List<KeyValue> kvs, SortOrder order, SortTarget target) {
        if (order == SortOrder.NONE && target == SortTarget.KEY) {
            return; // already in key order
        }
        Comparator<KeyValue> by = switch (target) {
            case KEY -> (a, b) -> str(a.key()).compareTo(str(b.key()));
            case VERSION -> (a, b) -> Long.compare(a.version(), b.version());
            case CREATE -> (a, b) -> Long.compare(a.createRevision(), b.createRevision());
            case MOD -> (a, b) -> Long.compare(a.modRevision(), b.modRevision());
            case VALUE -> (a, b) -> str(a.value()).compareTo(str(b.value()));
        };
        if (order == SortOrder.DESCEND) {
            Comparator<KeyValue> asc = by;
            by = (a, b) -> asc.compare(b, a);
        }
        kvs.sort(by); // stable: ties stay in key order
    }

    PutResponse put(PutRequest p) {
        if (p.lease() != 0 && !leaseExists.test(p.lease())) {
            throw new MvccException.LeaseNotFound(p.lease());
        }
        changed = false;
        PutResponse resp = doPut(p);
        endWrite();
        return resp;
    }

    private PutResponse doPut(PutRequest p) {
        String k = str(p.key());
        KeyValue prev = stateAt(k, visible());
        if ((p.ignoreValue() || p.ignoreLease()) && prev == null) {
            throw new MvccException.KeyNotFound();
        }
        long main = rev + 1;
        KeyValue kv = new KeyValue(p.key(), prev == null ? main : prev.createRevision(), main,
            prev == null ? 1 : prev.version() + 1, p.ignoreValue() ? prev.value() : p.value(),
            p.ignoreLease() ? prev.lease() : p.lease());
        keys.computeIfAbsent(k, x -> new ArrayList<>()).add(new State(main, kv));
        changed = true;
        return new PutResponse(main, p.prevKv() ? prev : null);
    }

    DeleteRangeResponse deleteRange(DeleteRangeRequest d) {
        changed = false;
        DeleteRangeResponse resp = doDelete(d);
        endWrite();
        return resp;
    }

    private DeleteRangeResponse doDelete(DeleteRangeRequest d) {
        List<KeyValue> live = liveAt(d.key(), d.rangeEnd(), visible());
        for (KeyValue kv : live) {
            keys.get(str(kv.key())).add(new State(rev + 1, null));
            changed = true;
        }
        return new DeleteRangeResponse(changed ? rev + 1 : rev, live.size(), d.prevKv() ? live : List.of());
    }

    private void endWrite() {
        if (changed) {
            rev++;
        }
        changed = false;
    }

    void compact(long at) {
        if (at <= compacted) {
            throw new MvccException.Compacted(at, compacted);
        }
        if (at > rev) {
            throw new MvccException.FutureRevision(at, rev);
        }
        compacted = at;
    }

    /** Every live key-value at {@code at}, in key order. */
    List<KeyValue> all(long at) {
        return liveAt(new byte[] {0}, new byte[] {0}, at);
    }

    TxnResponse txn(TxnRequest r) {
        boolean write = !isReadOnly(r);
        List<Object> plan = new ArrayList<>();
        planOps(r, plan);
        checkPutsAndRanges(plan, write);
        TreeMap<String, List<State>> before = copy(keys);
        changed = false;
        try {
            TxnResponse resp = execute(r, plan.iterator());
            long at = changed ? rev + 1 : rev;
            endWrite();
            return new TxnResponse(at, resp.succeeded(), resp.responses());
        } catch (MvccException.KeyNotFound e) {
            keys = before; // a put with ignore_* whose key an earlier delete removed: nothing is applied
            changed = false;
            throw e;
        }
    }

    private static boolean isReadOnly(TxnRequest r) {
        return r.success().stream().allMatch(op -> op instanceof RangeRequest)
            && r.failure().stream().allMatch(op -> op instanceof RangeRequest);
    }

    /** Evaluates every compare up front, recording each txn's outcome in execution order. */
    private void planOps(TxnRequest r, List<Object> plan) {
        boolean ok = r.compares().stream().allMatch(this::holds);
        plan.add(ok);
        for (RequestOp op : ok ? r.success() : r.failure()) {
            if (op instanceof TxnRequest t) {
                planOps(t, plan);
            } else {
                plan.add(op);
            }
        }
    }

    private void checkPutsAndRanges(List<Object> plan, boolean write) {
        for (Object o : write ? plan : List.of()) {
            if (o instanceof PutRequest p) {
                if ((p.ignoreValue() || p.ignoreLease()) && stateAt(str(p.key()), rev) == null) {
                    throw new MvccException.KeyNotFound();
                }
                if (p.lease() != 0 && !leaseExists.test(p.lease())) {
                    throw new MvccException.LeaseNotFound(p.lease());
                }
            }
        }
        for (Object o : plan) {
            if (o instanceof RangeRequest q && q.revision() != 0) {
                if (q.revision() > rev) {
                    throw new MvccException.FutureRevision(q.revision(), rev);
                }
                if (q.revision() < compacted) {
                    throw new MvccException.Compacted(q.revision(), compacted);
                }
            }
        }
    }

    private TxnResponse execute(TxnRequest r, java.util.Iterator<Object> plan) {
        boolean ok = (Boolean) plan.next();
        List<ResponseOp> out = new ArrayList<>();
        for (RequestOp op : ok ? r.success() : r.failure()) {
            if (op instanceof TxnRequest t) {
                out.add(execute(t, plan));
                continue;
            }
            plan.next();
            if (op instanceof RangeRequest q) {
                out.add(range(q));
            } else if (op instanceof PutRequest p) {
                out.add(doPut(p));
            } else if (op instanceof DeleteRangeRequest d) {
                out.add(doDelete(d));
            }
        }
        return new TxnResponse(0, ok, out);
    }

    boolean holds(Compare c) {
        List<KeyValue> kvs = liveAt(c.key(), c.rangeEnd(), rev);
        if (kvs.isEmpty()) {
            if (c.target() == Compare.Target.VALUE) {
                return false;
            }
            kvs = List.of(new KeyValue(c.key(), 0, 0, 0, null, 0));
        }
        for (KeyValue kv : kvs) {
            int cmp = switch (c.target()) {
                case VALUE -> Arrays.compareUnsigned(kv.value(), c.value());
                case CREATE -> Long.compare(kv.createRevision(), c.number());
                case MOD -> Long.compare(kv.modRevision(), c.number());
                case VERSION -> Long.compare(kv.version(), c.number());
                case LEASE -> Long.compare(kv.lease(), c.number());
            };
            boolean ok = switch (c.result()) {
                case EQUAL -> cmp == 0;
                case NOT_EQUAL -> cmp != 0;
                case GREATER -> cmp > 0;
                case LESS -> cmp < 0;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static TreeMap<String, List<State>> copy(TreeMap<String, List<State>> from) {
        TreeMap<String, List<State>> to = new TreeMap<>();
        for (Map.Entry<String, List<State>> e : from.entrySet()) {
            to.put(e.getKey(), new ArrayList<>(e.getValue()));
        }
        return to;
    }
}
