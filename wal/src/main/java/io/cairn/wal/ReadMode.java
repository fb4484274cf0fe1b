package io.cairn.wal;

/** How a {@link WalReader} treats corruption. */
public enum ReadMode {
    /** Throw {@link WalCorruptionException}: what a writable open does. */
    STRICT,
    /** Stop at the first corruption and report it with everything read before it (dump-logs). */
    REPORT,
    /** Like {@link #REPORT}, but read past CRC mismatches, resuming the chain from each record's stored CRC. */
    CONTINUE_PAST_CRC_ERRORS
}
