#!/usr/bin/env python3
"""h2lat.py PCAP: gRPC latency per stream on the client ports (2379, 22379, 32379), from the client's request HEADERS
to the server's END_STREAM, out of a tcpdump capture (`tcpdump -i lo -s 0 -w F 'tcp port 2379 or tcp port 22379 or
tcp port 32379'`); prints the slowest streams, per-second maxima and means per port, connection set-up times."""
import struct, sys, collections
PORTS = {2379, 22379, 32379}
f = open(sys.argv[1], 'rb'); gh = f.read(24)
magic = struct.unpack('<I', gh[:4])[0]; le = magic in (0xa1b2c3d4, 0xa1b23c4d); nano = magic in (0xa1b23c4d, 0x4d3cb2a1)
E = '<' if le else '>'; link = struct.unpack(E + 'I', gh[20:24])[0]
bufs = collections.defaultdict(bytearray); nextseq = {}; skipped = collections.Counter()
syn = {}; first_srv = {}; reqs = {}; done = []; preface = set(); t0 = None
def frames(key, ts, to_server):
    b = bufs[key]
    if to_server and key not in preface:
        if len(b) < 24: return
        del b[:24]; preface.add(key)
    while len(b) >= 9:
        ln = (b[0] << 16) | (b[1] << 8) | b[2]; typ = b[3]; fl = b[4]; sid = struct.unpack('>I', b[5:9])[0] & 0x7fffffff
        if len(b) < 9 + ln: return
        del b[:9 + ln]
        conn = key if to_server else (key[2], key[3], key[0], key[1])
        if to_server and typ == 1 and (conn, sid) not in reqs:
            reqs[(conn, sid)] = ts
        if not to_server:
            first_srv.setdefault(conn, ts)
            if typ in (0, 1) and fl & 1 and (conn, sid) in reqs:
                done.append((ts - reqs.pop((conn, sid)), reqs_start.get((conn, sid), 0), conn, sid, ts))
reqs_start = {}
while True:
    h = f.read(16)
    if len(h) < 16: break
    sec, frac, incl, orig = struct.unpack(E + 'IIII', h); data = f.read(incl)
    ts = sec + frac / (1e9 if nano else 1e6)
    if t0 is None: t0 = ts
    off = 14 if link == 1 else (16 if link == 113 else 0)
    ip = data[off:]
    if len(ip) < 20 or ip[0] >> 4 != 4: continue
    ihl = (ip[0] & 15) * 4; tot = struct.unpack('>H', ip[2:4])[0]
    src = ip[12:16]; dst = ip[16:20]; tcp = ip[ihl:tot]
    sp, dp, seq = struct.unpack('>HHI', tcp[:8]); doff = (tcp[12] >> 4) * 4; flags = tcp[13]
    payload = tcp[doff:]
    key = (src, sp, dst, dp); to_server = dp in PORTS
    if not to_server and sp not in PORTS: continue
    if flags & 2:
        nextseq[key] = seq + 1
        if to_server and not flags & 16: syn[key] = ts
        continue
    if not payload: continue
    exp = nextseq.get(key)
    if exp is None: skipped['nostart'] += 1; continue
    if seq != exp:
        if (seq - exp) & 0xffffffff > 0x7fffffff: skipped['dup'] += 1; continue
        skipped['gap'] += 1; nextseq[key] = seq  # lost capture: resync (frames may garble)
        bufs[key].clear()
    nextseq[key] = (seq + len(payload)) & 0xffffffff
    bufs[key] += payload
    frames(key, ts, to_server)
done.sort(key=lambda d: -d[0])
print('streams', len(done), 'unanswered', len(reqs), 'skipped', dict(skipped))
firsts = {}
for lat, _, conn, sid, end in done:
    firsts.setdefault(conn, 10**9); firsts[conn] = min(firsts[conn], sid)
for lat, _, conn, sid, end in done[:15]:
    c = syn.get(conn); fs = first_srv.get(conn)
    print('%.3fs port %d stream %d end t=%.2f conn syn t=%s first-server-bytes +%s' % (lat, conn[3], sid, end - t0,
        '%.2f' % (c - t0) if c else '?', '%.3f' % (fs - c) if c and fs else '?'))
per = collections.defaultdict(float)
for lat, _, conn, sid, end in done: per[int(end - t0)] = max(per[int(end - t0)], lat)
print('per-second max:', ' '.join('%d:%.2f' % (k, v) for k, v in sorted(per.items()) if v > 0.2))
setup = sorted((first_srv[c] - syn[c]) for c in syn if c in first_srv)
if setup: print('conns', len(setup), 'server-first-bytes after SYN: max %.3f p99 %.3f' % (setup[-1], setup[int(len(setup) * .99)]))
cnt = collections.Counter(); sm = collections.defaultdict(float); byport = collections.defaultdict(lambda: collections.defaultdict(float))
for lat, _, conn, sid, end in done:
    s = int(end - t0); cnt[s] += 1; sm[s] += lat; byport[s][conn[3]] = max(byport[s][conn[3]], lat)
print('sec done mean max(2379,22379,32379)')
for s in sorted(cnt):
    if s < 30 or s % 5 == 0:
        bp = byport[s]; print('%3d %5d %.3f  %.2f %.2f %.2f' % (s, cnt[s], sm[s] / cnt[s], bp[2379], bp[22379], bp[32379]))
pm = collections.defaultdict(lambda: collections.defaultdict(lambda: [0, 0.0]))
for lat, _, conn, sid, end in done:
    s = int(end - t0)
    if s < 16: x = pm[s][conn[3]]; x[0] += 1; x[1] += lat
print('sec  per-port n/mean (2379,22379,32379)')
for s in sorted(pm): print('%3d ' % s + '  '.join('%4d/%.3f' % (pm[s][p][0], pm[s][p][1] / max(1, pm[s][p][0])) for p in (2379, 22379, 32379)))
