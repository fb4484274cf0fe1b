package io.cairn.tools.snapshot;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code cairnutl snapshot}: etcdutl's snapshot commands for snapshots saved from Cairn members. */
@Command(name = "snapshot", mixinStandardHelpOptions = true,
    description = "Manages Cairn snapshot files (saved with etcdctl snapshot save from a Cairn member).",
    subcommands = {RestoreCommand.class, StatusCommand.class})
public final class SnapshotCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }
}
