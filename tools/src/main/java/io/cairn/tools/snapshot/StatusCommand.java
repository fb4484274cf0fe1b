package io.cairn.tools.snapshot;

import io.cairn.backend.BackendException;
import io.cairn.mvcc.MvccException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cairnutl snapshot status FILE [-w simple|table|json|fields]}: etcdutl's command and output. Exit code 0,
 * 1 when the file cannot be read or fails its checks, 4 (etcd's ExitBadFeature) for an unsupported format.
 */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Gets backend snapshot status of a given file (a snapshot saved from a Cairn member).",
        "When --write-out is simple, prints a comma-separated list: hash, revision, total keys, total size."})
public final class StatusCommand implements Callable<Integer> {
    /** etcd's cobrautl.ExitBadFeature. */
    static final int EXIT_BAD_FEATURE = 4;

    @Parameters(index = "0", paramLabel = "FILE", description = "The snapshot file.")
    Path file;

    @Option(names = {"-w", "--write-out"}, paramLabel = "FORMAT", defaultValue = "simple",
        description = "Output format: simple, table, json or fields (default: ${DEFAULT-VALUE}).")
    String writeOut;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            StatusPrinter printer;
            switch (writeOut) {
                case "simple", "table", "json", "fields" -> printer = StatusPrinter.valueOf(writeOut.toUpperCase(
                    Locale.ROOT));
                case "protobuf" -> {
                    err.println("Error: protobuf not supported as output format");
                    return EXIT_BAD_FEATURE;
                }
                default -> {
                    err.println("Error: unsupported output format");
                    return EXIT_BAD_FEATURE;
                }
            }
            printer.print(SnapshotStatus.of(SnapshotFile.open(file, SnapshotFile.TrailerCheck.IF_PRESENT)), out);
            return 0;
        } catch (SnapshotException | BackendException | MvccException e) {
            err.println("Error: " + e.getMessage());
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }
}
