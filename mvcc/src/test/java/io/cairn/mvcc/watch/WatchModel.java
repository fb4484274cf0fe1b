package io.cairn.mvcc.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.mvcc.Event;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The naive model of watch delivery: every committed event in order, every compaction, every watch request. Checks
 * a stream's drained responses against it: each watcher gets exactly the committed events of its range from its
 * start revision, filtered, in order, whole transactions per response, progress never ahead of undelivered
 * events; or a correct compaction cancel.
 *
 * <p>One core behaviour is tolerated: compaction at C keeps only a key's final state at C, so an earlier change of
 * the same key in the transaction at C (possible through the raw store API, never through a validated txn) is not
 * seen by a watcher starting exactly at C. A tombstone at C is kept (etcd-io/etcd#18274) and must be delivered.
 */
final class WatchModel {
    final List<Event> committed = new ArrayList<>();
    final List<Long> compactions = new ArrayList<>();

    /** One watch request as the model saw it. */
    static final class Watch {
        final WatchRequest request;
        final long start;
        final long compactedAtCreation;
        long canceledAtRev = Long.MAX_VALUE;
        long id = WatchStream.INVALID_ID;
        long compactedBy;
        boolean canceledByClient;
        int matched;
        List<Event> expected;
        final Map<Long, Integer> responseOfRevision = new HashMap<>();

        Watch(WatchRequest request, long currentRev, long compactedRev) {
            this.request = request;
            this.start = request.startRevision() == 0 ? currentRev + 1 : request.startRevision();
            this.compactedAtCreation = compactedRev;
        }

        @Override
        public String toString() {
            return "watch " + id + " " + request.range() + " from " + start + " filters " + request.filters();
        }
    }

    void record(List<Event> changes) {
        committed.addAll(changes);
    }

    private List<Event> expected(Watch w) {
        List<Event> out = new ArrayList<>();
        for (Event e : committed) {
            long rev = e.kv().modRevision();
            if (rev >= w.start && rev <= w.canceledAtRev && w.request.range().contains(e.kv().key())
                && w.request.filters().stream().noneMatch(f -> f.drops(e))) {
                out.add(e);
            }
        }
        return out;
    }

    /** Events at a compaction revision that compaction deletes from the backend (see the class comment). */
    private boolean droppable(Event e) {
        long rev = e.kv().modRevision();
        if (!compactions.contains(rev)) {
            return false;
        }
        Event last = null;
        for (Event c : committed) {
            if (c.kv().modRevision() == rev && Arrays.equals(c.kv().key(), e.kv().key())) {
                last = c;
            }
        }
        return last != e;
    }

    /** Checks every response drained from one stream, in order, against the watches made on it, in order. */
    void check(List<WatchResponse> responses, List<Watch> watches) {
        watches.forEach(w -> w.expected = expected(w));
        Map<Long, Watch> active = new HashMap<>();
        int next = 0;
        for (int i = 0; i < responses.size(); i++) {
            WatchResponse r = responses.get(i);
            if (r.created()) {
                Watch w = watches.get(next++);
                assertThat(r.watchId()).as("created response of %s", w).isEqualTo(w.id);
                if (!r.canceled()) {
                    active.put(r.watchId(), w);
                }
            } else if (r.watchId() == WatchStream.INVALID_ID) {
                assertThat(r.isProgress()).as("response %s", r).isTrue();
                active.values().stream().filter(w -> w.compactedBy == 0 && !w.canceledByClient)
                    .forEach(w -> checkProgress(w, r));
            } else {
                Watch w = active.get(r.watchId());
                assertThat(w).as("response %d for unknown watch %d: %s", i, r.watchId(), r).isNotNull();
                checkResponse(w, r, i, active);
            }
        }
        assertThat(next).as("a created response per watch request").isEqualTo(watches.size());
    }

    private void checkResponse(Watch w, WatchResponse r, int index, Map<Long, Watch> active) {
        if (r.canceled() && r.compactRevision() > 0) {
            assertThat(w.compactedBy).as("compacted twice: %s", w).isZero();
            w.compactedBy = r.compactRevision();
            checkCompacted(w);
        } else if (r.canceled()) {
            assertThat(w.canceledByClient).isTrue();
            active.remove(r.watchId());
        } else if (r.isProgress()) {
            assertThat(w.compactedBy).isZero();
            if (!w.canceledByClient) {
                checkProgress(w, r); // a cancel drops the watcher's buffered events, even older ones
            }
        } else {
            assertThat(w.compactedBy).as("events after compaction cancel of %s", w).isZero();
            for (Event e : r.events()) {
                assertThat(r.revision()).isGreaterThanOrEqualTo(e.kv().modRevision());
                Integer first = w.responseOfRevision.putIfAbsent(e.kv().modRevision(), index);
                assertThat(first == null || first == index).as("revision %d of %s split across responses",
                    e.kv().modRevision(), w).isTrue();
                accept(w, e);
            }
        }
    }

    private void accept(Watch w, Event got) {
        while (w.matched < w.expected.size() && !w.expected.get(w.matched).equals(got)
            && droppable(w.expected.get(w.matched))) {
            w.matched++;
        }
        assertThat(w.matched).as("%s got more than expected: %s", w, got).isLessThan(w.expected.size());
        assertThat(got).as("%s: event %d", w, w.matched).isEqualTo(w.expected.get(w.matched));
        w.matched++;
    }

    /** Nothing the watcher should have got at or below the progress revision is still missing. */
    private void checkProgress(Watch w, WatchResponse r) {
        for (int i = w.matched; i < w.expected.size(); i++) {
            Event e = w.expected.get(i);
            if (e.kv().modRevision() <= r.revision()) {
                assertThat(droppable(e)).as("progress at %d before event %s of %s", r.revision(), e, w).isTrue();
            }
        }
    }

    private void checkCompacted(Watch w) {
        assertThat(compactions).as("compact revision of %s", w).contains(w.compactedBy);
        assertThat(w.start).as("%s started at or after the compaction", w).isLessThan(w.compactedBy);
        if (w.matched > 0) {
            Event last = w.expected.get(w.matched - 1);
            assertThat(last.kv().modRevision()).as("%s was past the compaction", w).isLessThan(w.compactedBy);
        }
    }

    /** After quiescence: every live watch got all its events; every one started below compaction was canceled. */
    void checkComplete(List<Watch> watches) {
        for (Watch w : watches) {
            if (w.id == WatchStream.INVALID_ID || w.canceledByClient) {
                continue;
            }
            if (w.start < w.compactedAtCreation) {
                assertThat(w.compactedBy).as("%s started below compaction %d", w, w.compactedAtCreation)
                    .isPositive();
            }
            if (w.compactedBy == 0) {
                for (int i = w.matched; i < w.expected.size(); i++) {
                    assertThat(droppable(w.expected.get(i))).as("%s never got %s", w, w.expected.get(i)).isTrue();
                }
            }
        }
    }

    static Set<WatchFilter> filtersOf(int bits) {
        if (bits == 1) {
            return Set.of(WatchFilter.NOPUT);
        }
        if (bits == 2) {
            return Set.of(WatchFilter.NODELETE);
        }
        return bits == 3 ? Set.of(WatchFilter.NOPUT, WatchFilter.NODELETE) : Set.of();
    }
}
