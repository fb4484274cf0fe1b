#!/usr/bin/env python3
"""jit_timeline.py JFR...: per 10 s of a JFR recording (jdk.Compilation with threshold 0, jdk.Deoptimization,
jdk.GarbageCollection; settings in jit.jfc), C2 and C1 compile wall time and count, deoptimizations and GC pause
time; then the largest C2 compilations and deoptimizations after 110 s (a second check perf run). Needs `jfr` on PATH."""
import json,collections,sys,subprocess,datetime
def dur(s):
    s=s[2:-1]; return float(s) if s else 0
ts=lambda s: datetime.datetime.fromisoformat(s[:26]).timestamp()
for f in sys.argv[1:]:
    ev=json.loads(subprocess.run(['jfr','print','--json','--events','jdk.Compilation,jdk.Deoptimization,jdk.GarbageCollection',f],capture_output=True,text=True).stdout)['recording']['events']
    t0=min(ts(e['values']['startTime']) for e in ev)
    b=collections.defaultdict(lambda:[0.0,0,0.0,0,0,0.0]); late=collections.Counter(); deo=collections.Counter(); c2late=collections.Counter()
    for e in ev:
        v=e['values']; t=int((ts(v['startTime'])-t0)//10)*10
        if e['type']=='jdk.Compilation':
            du=dur(v['duration']); m=v['method']['type']['name']+'.'+v['method']['name']
            if v['compileLevel']==4: b[t][0]+=du; b[t][1]+=1
            else: b[t][2]+=du; b[t][3]+=1
            if t>=110 and v['compileLevel']==4: c2late[m]+=du
        elif e['type']=='jdk.Deoptimization':
            b[t][4]+=1
            if t>=110: deo[(v['reason'],v['action'],v['method']['type']['name']+'.'+v['method']['name'])]+=1
        else:
            b[t][5]+=dur(v['duration'])
    print(f.split('-')[2]); print(' t: C2s(n) C1s(n) deopt gc_s')
    for k,x in sorted(b.items()): print(f' {k:3d}: {x[0]:5.1f}({x[1]:4d}) {x[2]:4.1f}({x[3]:4d}) {x[4]:4d} {x[5]:.2f}')
    print(' C2 wall time in all: %.1f s' % sum(x[0] for x in b.values()))
    print(' top C2 after 110s:'); [print(f'  {d:6.2f} {m}') for m,d in c2late.most_common(8)]
    print(' top deopt after 110s:'); [print(f'  {n:5d} {k}') for k,n in deo.most_common(8)]
