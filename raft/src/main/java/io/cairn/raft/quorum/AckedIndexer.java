package io.cairn.raft.quorum;

import java.util.OptionalLong;

/** The highest log index a voter is known to have (its match index); empty if the voter is unknown. */
@FunctionalInterface
public interface AckedIndexer {
    OptionalLong ackedIndex(long voterId);
}
