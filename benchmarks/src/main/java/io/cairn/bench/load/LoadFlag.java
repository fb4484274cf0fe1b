package io.cairn.bench.load;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every flag of {@code cairn-bench load}: etcd benchmark's names and defaults, the subcommands that accept each one,
 * and Cairn's few additions ({@code --json}, {@code --label}, {@code --request-timeout}).
 */
enum LoadFlag {
    ENDPOINTS("endpoints", Kind.TEXT, "127.0.0.1:2379", null, "gRPC endpoints, comma-separated host:port or http://…"),
    CONNS("conns", Kind.INT, "1", null, "Total number of gRPC connections"),
    CLIENTS("clients", Kind.INT, "1", null, "Total number of gRPC clients"),
    DIAL_TIMEOUT("dial-timeout", Kind.DURATION, "0s", null,
        "How long to wait for every connection to be ready before starting (0: start at once)"),
    PRECISE("precise", Kind.BOOL, "false", null, "Use full floating point precision"),
    JSON("json", Kind.TEXT, "", null, "Also write the summary as JSON to this file (Cairn)"),
    LABEL("label", Kind.TEXT, "", null, "A name for this run, printed and written to --json (Cairn)"),
    REQUEST_TIMEOUT("request-timeout", Kind.DURATION, "0s", null,
        "Deadline of each request, 0 for none; an expired one counts as DEADLINE_EXCEEDED (Cairn)"),

    TOTAL("total", Kind.INT, "10000", EnumSet.allOf(Command.class), "Total number of requests"),
    RATE("rate", Kind.INT, "0", EnumSet.of(Command.PUT, Command.RANGE, Command.TXN_PUT),
        "Maximum requests per second (0 is no limit)"),
    KEY_SIZE("key-size", Kind.INT, "8", EnumSet.of(Command.PUT, Command.TXN_PUT, Command.WATCH_LATENCY),
        "Key size of a request in bytes (watch-latency: 32)"),
    VAL_SIZE("val-size", Kind.INT, "8", EnumSet.of(Command.PUT, Command.TXN_PUT, Command.WATCH_LATENCY),
        "Value size of a request in bytes (watch-latency: 32)"),
    KEY_SPACE_SIZE("key-space-size", Kind.INT, "1", EnumSet.of(Command.PUT, Command.TXN_PUT),
        "Maximum possible keys"),
    SEQUENTIAL_KEYS("sequential-keys", Kind.BOOL, "false", EnumSet.of(Command.PUT), "Use sequential keys"),
    CONSISTENCY("consistency", Kind.TEXT, "l", EnumSet.of(Command.RANGE), "Linearizable(l) or Serializable(s)"),
    TXN_OPS("txn-ops", Kind.INT, "1", EnumSet.of(Command.TXN_PUT), "Number of puts per txn"),
    PUT_RATE("put-rate", Kind.INT, "100", EnumSet.of(Command.WATCH_LATENCY), "Number of keys to put per second");

    /** How a value is written. {@code BOOL} flags take no separate argument ({@code --x} or {@code --x=false}). */
    enum Kind { INT, BOOL, TEXT, DURATION }

    /** Defaults that differ by subcommand, as in etcd (watch-latency's keys and values are 32 bytes). */
    private static final Map<LoadFlag, Map<Command, String>> DEFAULT_OVERRIDES = Map.of(
        KEY_SIZE, Map.of(Command.WATCH_LATENCY, "32"),
        VAL_SIZE, Map.of(Command.WATCH_LATENCY, "32"));

    private final String cliName;
    private final Kind kind;
    private final String defaultValue;
    private final Set<Command> commands;
    private final String help;

    /** {@code commands == null}: a global flag, accepted before or after any subcommand. */
    LoadFlag(String cliName, Kind kind, String defaultValue, Set<Command> commands, String help) {
        this.cliName = cliName;
        this.kind = kind;
        this.defaultValue = defaultValue;
        this.commands = commands;
        this.help = help;
    }

    String cliName() {
        return cliName;
    }

    Kind kind() {
        return kind;
    }

    String help() {
        return help;
    }

    boolean global() {
        return commands == null;
    }

    boolean appliesTo(Command command) {
        return commands == null || commands.contains(command);
    }

    String defaultFor(Command command) {
        return DEFAULT_OVERRIDES.getOrDefault(this, Map.of()).getOrDefault(command, defaultValue);
    }

    static Optional<LoadFlag> byName(String name) {
        return Arrays.stream(values()).filter(f -> f.cliName.equals(name)).findFirst();
    }
}
