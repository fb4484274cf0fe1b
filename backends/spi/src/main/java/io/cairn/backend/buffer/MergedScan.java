package io.cairn.backend.buffer;

import io.cairn.backend.Bucket;
import io.cairn.backend.EntryVisitor;
import io.cairn.backend.Keys;
import io.cairn.backend.RangeQuery;
import io.cairn.backend.engine.EngineCursor;
import io.cairn.backend.engine.EngineView;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A range scan merging buffered generations (newest first, highest priority) with an engine view (lowest). For
 * each distinct key the highest-priority source that has it decides: a value is emitted, a delete hides it.
 */
final class MergedScan {

    /** One ordered input. {@code value() == null} means deleted. */
    private interface Source {
        boolean advance();

        byte[] key();

        byte[] value();

        void close();
    }

    private MergedScan() {
    }

    static long run(List<Generation> gens, long readSeq, EngineView view, Bucket bucket, RangeQuery q,
                    EntryVisitor visitor) {
        if (q.isEmpty()) {
            return 0;
        }
        List<Source> sources = new ArrayList<>(gens.size() + 1);
        try {
            for (Generation g : gens) {
                ConcurrentSkipListMap<byte[], Version> keys = g.bucket(bucket);
                if (keys != null) {
                    sources.add(new GenerationSource(keys, q, readSeq));
                }
            }
            sources.add(new EngineSource(view.cursor(bucket, q.start(), q.end(), q.reverse())));
            return merge(sources, q, visitor);
        } finally {
            sources.forEach(Source::close);
        }
    }

    private static long merge(List<Source> sources, RangeQuery q, EntryVisitor visitor) {
        int n = sources.size();
        boolean[] valid = new boolean[n];
        for (int i = 0; i < n; i++) {
            valid[i] = sources.get(i).advance();
        }
        int direction = q.reverse() ? -1 : 1;
        long emitted = 0;
        while (true) {
            byte[] next = null;
            int winner = -1;
            for (int i = 0; i < n; i++) {
                if (valid[i] && (next == null || direction * Keys.compare(sources.get(i).key(), next) < 0)) {
                    next = sources.get(i).key();
                    winner = i;
                }
            }
            if (winner < 0) {
                return emitted;
            }
            byte[] value = sources.get(winner).value();
            for (int i = 0; i < n; i++) {
                if (valid[i] && Keys.compare(sources.get(i).key(), next) == 0) {
                    valid[i] = sources.get(i).advance();
                }
            }
            if (value != null) {
                emitted++;
                if (!visitor.visit(next, value) || (q.limit() > 0 && emitted >= q.limit())) {
                    return emitted;
                }
            }
        }
    }

    /** Entries of one generation's bucket visible at the read sequence. */
    private static final class GenerationSource implements Source {
        private final Iterator<Map.Entry<byte[], Version>> it;
        private final long readSeq;
        private byte[] key;
        private byte[] value;

        GenerationSource(ConcurrentSkipListMap<byte[], Version> keys, RangeQuery q, long readSeq) {
            NavigableMap<byte[], Version> range = q.end() == null
                ? keys.tailMap(q.start(), true)
                : keys.subMap(q.start(), true, q.end(), false);
            this.it = (q.reverse() ? range.descendingMap() : range).entrySet().iterator();
            this.readSeq = readSeq;
        }

        @Override
        public boolean advance() {
            while (it.hasNext()) {
                Map.Entry<byte[], Version> e = it.next();
                Version v = e.getValue().visibleAt(readSeq);
                if (v != null) {
                    key = e.getKey();
                    value = v.value();
                    return true;
                }
            }
            return false;
        }

        @Override
        public byte[] key() {
            return key;
        }

        @Override
        public byte[] value() {
            return value;
        }

        @Override
        public void close() {
        }
    }

    /** The engine's committed entries. */
    private record EngineSource(EngineCursor cursor) implements Source {
        @Override
        public boolean advance() {
            return cursor.next();
        }

        @Override
        public byte[] key() {
            return cursor.key();
        }

        @Override
        public byte[] value() {
            return cursor.value();
        }

        @Override
        public void close() {
            cursor.close();
        }
    }
}
