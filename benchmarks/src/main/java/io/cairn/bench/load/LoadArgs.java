package io.cairn.bench.load;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Parses {@code cairn-bench load} command lines the way etcd's benchmark (cobra/pflag) reads them: global flags before
 * or after the subcommand, {@code --flag=value} or {@code --flag value}, booleans as {@code --flag} or
 * {@code --flag=false}, the last occurrence wins, {@code --} ends the flags. Every error is a {@link UsageException}
 * naming the flag and the value.
 */
public final class LoadArgs {
    private LoadArgs() {
    }

    /** The run these arguments describe; {@code --help} or no subcommand at all are a {@link UsageException}. */
    public static LoadOptions parse(String... args) {
        Parsed parsed = scan(args);
        if (parsed.help) {
            throw UsageException.helpText(usage());
        }
        if (parsed.positional.isEmpty()) {
            throw new UsageException("missing subcommand (put, range, txn-put, watch-latency)\n\n" + usage());
        }
        String name = parsed.positional.get(0);
        Command command = Command.byName(name).orElseThrow(
            () -> new UsageException("unknown command \"" + name + "\" for \"cairn-bench load\"\n\n" + usage()));
        for (LoadFlag flag : parsed.values.keySet()) {
            if (!flag.appliesTo(command)) {
                throw new UsageException("unknown flag: --" + flag.cliName() + " (not a flag of " + name + ")");
            }
        }
        return build(command, new Values(command, parsed.values), parsed.positional.subList(1,
            parsed.positional.size()));
    }

    /** etcd-style help: subcommands, then flags with their defaults. */
    public static String usage() {
        StringBuilder out = new StringBuilder("Usage: cairn-bench load <subcommand> [flags] [args]\n\nSubcommands:\n");
        for (Command c : Command.values()) {
            out.append(String.format(Locale.ROOT, "  %-14s %s%n", c.cliName(), c.help()));
        }
        out.append("\nFlags (subcommands that take them in brackets):\n");
        for (LoadFlag f : LoadFlag.values()) {
            String which = f.global() ? "" : " [" + Arrays.stream(Command.values()).filter(f::appliesTo)
                .map(Command::cliName).collect(Collectors.joining(",")) + "]";
            out.append(String.format(Locale.ROOT, "  --%-17s %s (default %s)%s%n", f.cliName(), f.help(),
                f.defaultFor(Command.PUT).isEmpty() ? "none" : f.defaultFor(Command.PUT), which));
        }
        return out.toString();
    }

    private static LoadOptions build(Command command, Values v, List<String> args) {
        ClientOptions client = new ClientOptions(endpoints(v.text(LoadFlag.ENDPOINTS)), v.integer(LoadFlag.CONNS),
            v.integer(LoadFlag.CLIENTS), v.duration(LoadFlag.DIAL_TIMEOUT), v.duration(LoadFlag.REQUEST_TIMEOUT));
        String json = v.text(LoadFlag.JSON);
        OutputOptions output = new OutputOptions(json.isEmpty() ? Optional.empty() : Optional.of(Path.of(json)),
            v.text(LoadFlag.LABEL), v.bool(LoadFlag.PRECISE));
        int rate = command == Command.WATCH_LATENCY ? v.integer(LoadFlag.PUT_RATE) : v.integer(LoadFlag.RATE);
        int keySpace = command == Command.WATCH_LATENCY ? 1 : v.integer(LoadFlag.KEY_SPACE_SIZE);
        KeySpace keys = new KeySpace(v.integer(LoadFlag.KEY_SIZE), v.integer(LoadFlag.VAL_SIZE), keySpace,
            v.bool(LoadFlag.SEQUENTIAL_KEYS));
        Optional<RangeTarget> range = Optional.empty();
        if (command == Command.RANGE) {
            range = Optional.of(rangeTarget(args, v.text(LoadFlag.CONSISTENCY)));
        } else if (!args.isEmpty()) {
            throw new UsageException(command.cliName() + " takes no arguments, got " + args);
        }
        return new LoadOptions(command, client, v.integer(LoadFlag.TOTAL), rate, keys, v.integer(LoadFlag.TXN_OPS),
            range, output);
    }

    private static RangeTarget rangeTarget(List<String> args, String consistency) {
        if (args.isEmpty() || args.size() > 2) {
            throw new UsageException("range takes a key and an optional end of range, got " + args.size()
                + " arguments");
        }
        if (!consistency.equals("l") && !consistency.equals("s")) {
            throw new UsageException("invalid argument \"" + consistency
                + "\" for \"--consistency\" flag: expected l (linearizable) or s (serializable)");
        }
        ByteString end = args.size() == 2 ? ByteString.copyFromUtf8(args.get(1)) : ByteString.EMPTY;
        return new RangeTarget(ByteString.copyFrom(args.get(0).getBytes(StandardCharsets.UTF_8)), end,
            consistency.equals("s"));
    }

    /** etcd accepts {@code host:port} and {@code http://host:port}; TLS endpoints need certificates we do not take. */
    static List<String> endpoints(String list) {
        List<String> out = new ArrayList<>();
        for (String raw : list.split(",")) {
            String e = raw.trim();
            if (e.isEmpty()) {
                continue;
            }
            if (e.startsWith("https://") || e.startsWith("unixs://")) {
                throw new UsageException("endpoint " + e + ": TLS is not supported by cairn-bench load");
            }
            String hostPort = e.startsWith("http://") ? e.substring("http://".length()) : e;
            if (hostPort.endsWith("/")) {
                hostPort = hostPort.substring(0, hostPort.length() - 1);
            }
            int colon = hostPort.lastIndexOf(':');
            if (colon <= 0 || !hostPort.substring(colon + 1).matches("\\d{1,5}") || hostPort.contains("/")) {
                throw new UsageException("invalid endpoint \"" + e + "\": expected host:port or http://host:port");
            }
            out.add(hostPort);
        }
        return out;
    }

    private static Parsed scan(String... args) {
        Parsed p = new Parsed();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                p.positional.addAll(Arrays.asList(args).subList(i + 1, args.length));
                break;
            }
            if (a.equals("-h") || a.equals("--help")) {
                p.help = true;
            } else if (a.startsWith("--")) {
                i = flag(p, args, i);
            } else if (a.startsWith("-") && a.length() > 1) {
                throw new UsageException("unknown shorthand flag: " + a + " (flags are spelled --name)");
            } else {
                p.positional.add(a);
            }
        }
        return p;
    }

    /** Reads the flag at {@code args[i]}; returns the index of the last token it used. */
    private static int flag(Parsed p, String[] args, int i) {
        String body = args[i].substring(2);
        int eq = body.indexOf('=');
        String name = eq < 0 ? body : body.substring(0, eq);
        LoadFlag flag = LoadFlag.byName(name).orElseThrow(() -> new UsageException("unknown flag: --" + name));
        if (eq >= 0) {
            p.values.put(flag, body.substring(eq + 1));
            return i;
        }
        if (flag.kind() == LoadFlag.Kind.BOOL) {
            p.values.put(flag, "true");
            return i;
        }
        if (i + 1 >= args.length) {
            throw new UsageException("flag needs an argument: --" + name);
        }
        p.values.put(flag, args[i + 1]);
        return i + 1;
    }

    private static final class Parsed {
        final Map<LoadFlag, String> values = new EnumMap<>(LoadFlag.class);
        final List<String> positional = new ArrayList<>();
        boolean help;
    }

    /** Typed flag values: what was given, else the subcommand's default. */
    private record Values(Command command, Map<LoadFlag, String> given) {
        String text(LoadFlag f) {
            return given.getOrDefault(f, f.defaultFor(command));
        }

        int integer(LoadFlag f) {
            String s = text(f).replace("_", "");
            try {
                return Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw invalid(f, "expected an integer");
            }
        }

        boolean bool(LoadFlag f) {
            String s = text(f);
            if (s.equals("true") || s.equals("1")) {
                return true;
            }
            if (s.equals("false") || s.equals("0")) {
                return false;
            }
            throw invalid(f, "expected true or false");
        }

        Duration duration(LoadFlag f) {
            try {
                return GoDuration.parse(text(f));
            } catch (IllegalArgumentException e) {
                throw invalid(f, e.getMessage());
            }
        }

        private UsageException invalid(LoadFlag f, String why) {
            return new UsageException("invalid argument \"" + text(f) + "\" for \"--" + f.cliName() + "\" flag: "
                + why);
        }
    }
}
