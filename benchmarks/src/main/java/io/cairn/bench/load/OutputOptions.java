package io.cairn.bench.load;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where and how a run reports.
 *
 * @param json the {@code --json} file, if any
 * @param label the {@code --label}, empty when not given
 * @param precise etcd's {@code --precise}: full precision instead of 4 decimals
 */
public record OutputOptions(Optional<Path> json, String label, boolean precise) {
    public static final OutputOptions DEFAULT = new OutputOptions(Optional.empty(), "", false);
}
