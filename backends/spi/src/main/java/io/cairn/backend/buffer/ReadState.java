package io.cairn.backend.buffer;

import java.util.ArrayList;
import java.util.List;

/**
 * What a new read captures: the last published write sequence, the buffered generations newest first (the
 * active one at index 0), and the active generation's id.
 */
record ReadState(long seq, List<Generation> generations, long activeId) {

    ReadState withSeq(long newSeq) {
        return new ReadState(newSeq, generations, activeId);
    }

    ReadState withNewActive(Generation next) {
        List<Generation> gens = new ArrayList<>(generations.size() + 1);
        gens.add(next);
        gens.addAll(generations);
        return new ReadState(seq, List.copyOf(gens), next.id);
    }

    ReadState without(Generation applied) {
        List<Generation> gens = new ArrayList<>(generations);
        gens.remove(applied);
        return new ReadState(seq, List.copyOf(gens), activeId);
    }
}
