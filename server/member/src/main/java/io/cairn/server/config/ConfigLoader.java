package io.cairn.server.config;

import io.cairn.server.Versions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads a member's configuration the way etcd 3.5 does ({@code etcdmain/config.go}, {@code pkg/flags}):
 * <ol>
 *   <li>command-line flags, Go style: {@code --name=x}, {@code --name x}, {@code -name x}; an unknown flag, a
 *       missing value or a positional argument is an error;</li>
 *   <li>{@code ETCD_*} variables for flags not given on the command line; a variable for a flag that <em>was</em>
 *       given is an error, as in etcd ("conflicting environment variable ... is shadowed"); unknown {@code ETCD_*}
 *       variables are warnings;</li>
 *   <li>when {@code --config-file} (or {@code ETCD_CONFIG_FILE}) names a YAML file, the file alone decides, with
 *       etcd's key names (TLS in etcd's {@code client-transport-security} and {@code peer-transport-security}
 *       sections, or under the flags' names); other flags and variables are ignored (a warning says so), unknown
 *       keys are warnings.</li>
 * </ol>
 * {@code --help}/{@code -h} and {@code --version} short-circuit. Stateless; the environment is passed in.
 */
public final class ConfigLoader {

    /** What the command line asks for. */
    public sealed interface Outcome permits Run, Help, Version {
    }

    /** Start a member with {@code config}; {@code warnings} should be logged. */
    public record Run(ServerConfig config, List<String> warnings) implements Outcome {
        public Run {
            warnings = List.copyOf(warnings);
        }
    }

    /** Print {@code text} to stdout and exit 0. */
    public record Help(String text) implements Outcome {
    }

    /** Print {@code text} to stdout and exit 0. */
    public record Version(String text) implements Outcome {
    }

    private ConfigLoader() {
    }

    /**
     * @throws ConfigException with a message naming the flag, variable or key at fault
     */
    public static Outcome load(String[] args, Map<String, String> env) {
        Map<Flag, String> flags = new EnumMap<>(Flag.class);
        Optional<Outcome> early = parseFlags(args, flags);
        if (early.isPresent()) {
            return early.get();
        }
        List<String> warnings = new ArrayList<>();
        Map<Flag, String> merged = new EnumMap<>(flags);
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            if (!e.getKey().startsWith("ETCD_")) {
                continue;
            }
            Optional<Flag> f = Flag.byEnvName(e.getKey());
            if (f.isEmpty()) {
                warnings.add("unrecognized environment variable " + e.getKey() + "=" + e.getValue());
            } else if (flags.containsKey(f.get())) {
                throw new ConfigException("conflicting environment variable \"" + e.getKey() + "\" is shadowed by "
                    + "corresponding command-line flag (either unset environment variable or disable flag)");
            } else {
                merged.put(f.get(), e.getValue());
            }
        }
        String file = merged.getOrDefault(Flag.CONFIG_FILE, "");
        if (file.isEmpty()) {
            return new Run(ConfigValues.build(merged, false), warnings);
        }
        if (merged.size() > 1) {
            warnings.add("loaded server configuration from " + file + ", other configuration command line flags "
                + "and environment variables are ignored");
        }
        return new Run(ConfigValues.build(readYaml(Path.of(file), warnings), true), warnings);
    }

    private static Optional<Outcome> parseFlags(String[] args, Map<Flag, String> out) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                if (i + 1 < args.length) {
                    throw new ConfigException("'" + args[i + 1] + "' is not a valid flag");
                }
                break;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                throw new ConfigException("'" + arg + "' is not a valid flag");
            }
            String body = arg.startsWith("--") ? arg.substring(2) : arg.substring(1);
            int eq = body.indexOf('=');
            String name = eq < 0 ? body : body.substring(0, eq);
            if (name.equals("help") || name.equals("h")) {
                return Optional.of(new Help(usage()));
            }
            if (name.equals("version")) {
                return Optional.of(new Version(versionText()));
            }
            Flag f = Flag.byName(name).orElseThrow(() ->
                new ConfigException("flag provided but not defined: -" + name));
            String value;
            if (eq >= 0) {
                value = body.substring(eq + 1);
            } else if (f.isBool()) {
                value = "true";
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new ConfigException("flag needs an argument: -" + name);
            }
            out.put(f, value);
        }
        return Optional.empty();
    }

    private static Map<Flag, String> readYaml(Path file, List<String> warnings) {
        Object doc;
        try (InputStream in = Files.newInputStream(file)) {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw new ConfigException("cannot parse config file " + file + ": " + e.getMessage());
        }
        Map<Flag, String> out = new EnumMap<>(Flag.class);
        if (doc == null) {
            return out;
        }
        if (!(doc instanceof Map<?, ?> map)) {
            throw new ConfigException("config file " + file + " is not a YAML mapping");
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            Optional<Map<String, Flag>> security = TransportSecurityYaml.section(key);
            if (security.isPresent()) {
                TransportSecurityYaml.read(file, key, security.get(), e.getValue(), out, warnings);
                continue;
            }
            Optional<Flag> f = Flag.byName(key).filter(x -> x != Flag.CONFIG_FILE);
            if (f.isEmpty()) {
                warnings.add("config file " + file + ": unsupported key '" + key + "' ignored");
            } else if (e.getValue() != null) {
                out.put(f.get(), yamlValue(e.getValue()));
            }
        }
        return out;
    }

    private static String yamlValue(Object v) {
        if (v instanceof List<?> list) {
            List<String> parts = new ArrayList<>();
            list.forEach(x -> parts.add(String.valueOf(x)));
            return String.join(",", parts);
        }
        return String.valueOf(v);
    }

    /** etcd's usage text, for our flags. */
    public static String usage() {
        StringBuilder b = new StringBuilder("Usage:\n\n  cairn [flags]\n    Start a Cairn member (etcd v3 API).\n\n"
            + "  cairn --version\n    Show the version of Cairn.\n\n  cairn -h | --help\n    Show the help "
            + "information about Cairn.\n\nFlags (each also as ETCD_<NAME> in the environment, and as <name> in "
            + "--config-file):\n\n");
        for (Flag f : Flag.values()) {
            b.append("  --").append(f.flagName()).append(f.defaultValue().filter(d -> !d.isEmpty())
                .map(d -> " '" + d + "'").orElse("")).append("\n      ").append(f.help()).append('\n');
        }
        return b.toString();
    }

    static String versionText() {
        return "cairn Version: " + Versions.CAIRN + "\n"
            + "etcd API Version: " + Versions.ETCD_SERVER + "\n"
            + "Java Version: " + Runtime.version() + "\n"
            + "OS/Arch: " + System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT) + "/"
            + System.getProperty("os.arch") + "\n";
    }
}
