"""Scenarios run by Debian's python3-etcd3 (0.12, a gRPC client) against a member: python3 etcd3_scenarios.py
HOST PORT SCENARIO...; prints "ok <scenario>" for each one that passed and exits non-zero at the first failure."""
import sys
import threading

import etcd3


def kv(c):
    c.put('py/a', '1')
    c.put('py/b', '2')
    value, meta = c.get('py/a')
    assert value == b'1', value
    assert meta.key == b'py/a' and meta.version == 1, meta
    assert sorted(v for v, _ in c.get_prefix('py/')) == [b'1', b'2']
    assert c.delete('py/b')
    assert not c.delete('py/missing')
    assert c.get('py/b') == (None, None)
    c.put('py/c', 'x')
    assert c.delete_prefix('py/').deleted == 2


def txn(c):
    c.put('py/t', 'v1')
    ok, responses = c.transaction(
        compare=[c.transactions.value('py/t') == 'v1', c.transactions.version('py/t') > 0],
        success=[c.transactions.put('py/t', 'v2'), c.transactions.get('py/t')],
        failure=[c.transactions.put('py/t', 'never')])
    assert ok, responses
    assert c.get('py/t')[0] == b'v2'
    ok, _ = c.transaction(compare=[c.transactions.value('py/t') == 'v1'], success=[],
                          failure=[c.transactions.delete('py/t')])
    assert not ok
    assert c.get('py/t') == (None, None)


def watch(c):
    events, cancel = c.watch_prefix('py/w/')
    got = []
    done = threading.Event()

    def consume():
        for e in events:
            got.append((type(e).__name__, e.key, e.value))
            if len(got) == 2:
                done.set()
                return

    t = threading.Thread(target=consume, daemon=True)
    t.start()
    c.put('py/w/1', 'a')
    c.delete('py/w/1')
    assert done.wait(10), got
    cancel()
    assert got[0] == ('PutEvent', b'py/w/1', b'a'), got
    assert got[1][0] == 'DeleteEvent' and got[1][1] == b'py/w/1', got


def lease(c):
    l = c.lease(60)
    c.put('py/l', 'v', lease=l)
    assert l.remaining_ttl > 0 and l.granted_ttl == 60
    assert [k for k in l.keys] == [b'py/l'], l.keys
    l.refresh()
    l.revoke()
    assert c.get('py/l') == (None, None)


def lock(c):
    # python-etcd3's lock is client-side: a txn creating /locks/<name> with a lease. (Its contended acquire with a
    # timeout breaks on Debian's newer tenacity, so contention is checked through the key itself.)
    with c.lock('py-lock', ttl=10) as held:
        assert held.is_acquired()
        value, meta = c.get('/locks/py-lock')
        assert value is not None and meta.lease_id != 0, (value, meta)
    assert c.get('/locks/py-lock') == (None, None)
    again = c.lock('py-lock', ttl=10)
    assert again.acquire(timeout=5)
    again.release()


SCENARIOS = {'kv': kv, 'txn': txn, 'watch': watch, 'lease': lease, 'lock': lock}

if __name__ == '__main__':
    client = etcd3.client(host=sys.argv[1], port=int(sys.argv[2]), timeout=10)
    for name in sys.argv[3:]:
        SCENARIOS[name](client)
        print('ok ' + name, flush=True)
