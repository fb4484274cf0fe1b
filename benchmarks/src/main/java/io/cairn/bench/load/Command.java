package io.cairn.bench.load;

import java.util.Arrays;
import java.util.Optional;

/** The subcommands of {@code cairn-bench load}, named as in etcd's benchmark tool. */
public enum Command {
    PUT("put", "Benchmark put"),
    RANGE("range", "Benchmark range (arguments: key [end-range])"),
    TXN_PUT("txn-put", "Benchmark txn-put"),
    WATCH_LATENCY("watch-latency", "Benchmark watch latency: from a put to each watcher's event");

    private final String cliName;
    private final String help;

    Command(String cliName, String help) {
        this.cliName = cliName;
        this.help = help;
    }

    public String cliName() {
        return cliName;
    }

    String help() {
        return help;
    }

    static Optional<Command> byName(String name) {
        return Arrays.stream(values()).filter(c -> c.cliName.equals(name)).findFirst();
    }
}
