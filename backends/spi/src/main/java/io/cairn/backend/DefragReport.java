package io.cairn.backend;

import java.time.Duration;

/**
 * What a defrag did.
 *
 * @param sizeBeforeBytes file size before
 * @param sizeAfterBytes file size after
 * @param took wall time spent
 * @param blockedWrites whether engine commits were held back while it ran (writers keep buffering either way)
 */
public record DefragReport(long sizeBeforeBytes, long sizeAfterBytes, Duration took, boolean blockedWrites) {
}
