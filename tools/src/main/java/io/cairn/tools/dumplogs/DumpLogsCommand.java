package io.cairn.tools.dumplogs;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.cairn.api.etcdserverpb.Metadata;
import io.cairn.raft.pb.Entry;
import io.cairn.raft.pb.HardState;
import io.cairn.wal.DiskWalFiles;
import io.cairn.wal.ReadMode;
import io.cairn.wal.SnapshotFile;
import io.cairn.wal.Snapshotter;
import io.cairn.wal.WalContents;
import io.cairn.wal.WalCorruptionException;
import io.cairn.wal.WalEntry;
import io.cairn.wal.WalException;
import io.cairn.wal.WalFiles;
import io.cairn.wal.WalOptions;
import io.cairn.wal.WalReader;
import io.cairn.wal.WalSnapshot;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cairnutl dump-logs DATA_DIR}: etcd-dump-logs for Cairn. Reads {@code DATA_DIR/member/snap} and
 * {@code DATA_DIR/member/wal} without locking or writing anything, so it works on a running or crashed member.
 * Exit code 0 when everything read cleanly (a torn tail is only noted), 1 for corruption or unusable input.
 */
@Command(name = "dump-logs", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Prints a member's WAL like etcd-dump-logs; read-only, safe on a running or crashed member.",
        "Prints the snapshot, the WAL metadata, then one line per entry (term, index, type, data) with the"
            + " requests decoded."})
public final class DumpLogsCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DATA_DIR", description = "The member's data dir (holds member/wal and"
        + " member/snap).")
    Path dataDir;

    @Option(names = "--start-index", paramLabel = "INDEX", description = "Dump entries after this index"
        + " (not with --start-snap); in --raw mode, records at or after it.")
    long startIndex;

    @Option(names = "--start-snap", paramLabel = "NAME", description = "The base name of the snapshot file to start"
        + " dumping from (default: the newest readable one).")
    String startSnap;

    @Option(names = "--entry-type", paramLabel = "TYPES", defaultValue = EntryFilter.DEFAULT, description = "Comma"
        + " separated entry classes to print: ConfigChange, Normal, Request, InternalRaftRequest, IRRRange, IRRPut,"
        + " IRRDeleteRange, IRRTxn, IRRCompaction, IRRLeaseGrant, IRRLeaseRevoke, IRRLeaseCheckpoint"
        + " (default: ${DEFAULT-VALUE}).")
    String entryType;

    @Option(names = "--wal-dir", paramLabel = "DIR", description = "Read the WAL from DIR instead of"
        + " DATA_DIR/member/wal.")
    Path walDir;

    @Option(names = "--raw", description = "Print every record of every segment, one line each, like"
        + " etcd-dump-logs -raw (reads past CRC errors).")
    boolean raw;

    @Option(names = "--json", description = "Machine-readable output: one JSON object per line.")
    boolean json;

    @Option(names = "--continue-on-crc-error", description = "Read past records whose CRC does not match"
        + " (they are printed; the exit code is still 1).")
    boolean continueOnCrcError;

    @Spec
    CommandSpec spec;

    private final WalFiles files = new DiskWalFiles();
    private final WalOptions options = WalOptions.defaults();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (startSnap != null && startIndex != 0) {
                err.println("Error: start-snap and start-index flags cannot be used together.");
                return 1;
            }
            if (startIndex < 0) {
                err.println("Error: --start-index must not be negative.");
                return 1;
            }
            Path wal = walDir != null ? walDir : dataDir.resolve("member").resolve("wal");
            if (raw) {
                return dumpRaw(wal, out, err);
            }
            return dumpEntries(wal, json ? new JsonOutput(out) : new TextOutput(out), err);
        } catch (WalException e) {
            err.println("Error: " + e.getMessage());
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int dumpRaw(Path wal, PrintWriter out, PrintWriter err) {
        if (startSnap != null || !entryType.equals(EntryFilter.DEFAULT)) {
            err.println("Error: Flags --entry-type and --start-snap are not supported in the RAW mode.");
            return 1;
        }
        WalReader.ScanEnd end = new WalReader(files, wal, options).scanAll(ReadMode.CONTINUE_PAST_CRC_ERRORS,
            new RawDumper(out, err, startIndex, json));
        end.torn().ifPresent(t -> err.printf("Note: %s ends with a torn record at offset %d (%s).%n", t.segment(),
            t.offset(), t.reason()));
        if (end.corruption().isPresent()) {
            err.println("Error: Reading failed: " + end.corruption().get().getMessage());
            return 1;
        }
        if (!json) {
            out.println("EOF: All entries were processed.");
        }
        return 0;
    }

    private int dumpEntries(Path wal, DumpOutput output, PrintWriter err) {
        Optional<SnapshotFile> snapshot = Optional.empty();
        WalSnapshot start = WalSnapshot.of(startIndex, 0);
        if (startIndex == 0) {
            Path snapDir = dataDir.resolve("member").resolve("snap");
            Snapshotter snapshotter = Snapshotter.readOnly(files, snapDir, options);
            snapshot = startSnap != null ? Optional.of(snapshotter.read(startSnap)) : snapshotter.loadNewest();
            start = snapshot.map(s -> WalSnapshot.of(s.index(), s.term())).orElse(WalSnapshot.ZERO);
        }
        output.start(snapshot, startIndex);
        ReadMode mode = continueOnCrcError ? ReadMode.CONTINUE_PAST_CRC_ERRORS : ReadMode.REPORT;
        WalContents contents = new WalReader(files, wal, options).readAll(start, mode);
        output.walMetadata(parse(contents.metadata(), Metadata.getDefaultInstance()),
            parse(contents.hardState(), HardState.getDefaultInstance()), contents.entries().size(),
            contents.entries().isEmpty() ? 0 : contents.entries().get(contents.entries().size() - 1).index());
        EntryFilter filter = EntryFilter.parse(entryType, err);
        int count = 0;
        for (WalEntry walEntry : contents.entries()) {
            DecodedEntry entry = DecodedEntry.decode(parse(walEntry.data(), Entry.getDefaultInstance()));
            if (filter.test(entry)) {
                output.entry(entry);
                count++;
            }
        }
        output.end(entryType, count);
        return report(contents, start, err);
    }

    /** Notes and errors on stderr after the dump; the exit code. */
    private int report(WalContents contents, WalSnapshot start, PrintWriter err) {
        contents.tornTail().ifPresent(t -> err.printf("Note: %s ends with a torn record at offset %d (%s); it is not"
            + " printed (an unsynced write, or the member is writing).%n", t.segment(), t.offset(), t.reason()));
        int exit = 0;
        if (contents.crcErrors() > 0) {
            err.printf("Error: read past %d record(s) with a CRC mismatch; their entries are printed.%n",
                contents.crcErrors());
            exit = 1;
        }
        if (contents.problem().isPresent()) {
            WalException problem = contents.problem().get();
            boolean ignorable = startIndex != 0 && !(problem instanceof WalCorruptionException);
            if (!ignorable) {
                err.printf("Error: %s%nThe %d entries before it were printed.%s%n", problem.getMessage(),
                    contents.entries().size(), problem instanceof WalCorruptionException c
                        && c.expectedCrc().isPresent() ? " --continue-on-crc-error reads past CRC errors." : "");
                exit = 1;
            }
        } else if (!contents.snapshotFound() && startIndex == 0) {
            err.printf("Error: wal: snapshot marker (index %d, term %d) not found%n", start.index(), start.term());
            exit = 1;
        }
        return exit;
    }

    private static <M extends Message> M parse(byte[] bytes, M prototype) {
        try {
            @SuppressWarnings("unchecked")
            M message = (M) prototype.getParserForType().parseFrom(bytes);
            return message;
        } catch (InvalidProtocolBufferException e) {
            return prototype;
        }
    }
}
