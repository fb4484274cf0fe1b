package io.cairn.tools;

import io.cairn.tools.dumplogs.DumpLogsCommand;
import io.cairn.tools.snapshot.SnapshotCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code cairnutl}: offline tools for a Cairn member's data dir (etcdutl's place). */
@Command(name = "cairnutl", mixinStandardHelpOptions = true, version = "cairnutl 0.1.0",
    description = "Offline tools for a Cairn member's data dir.",
    subcommands = {DumpLogsCommand.class, SnapshotCommand.class})
public final class CairnUtl implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new CairnUtl()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }
}
