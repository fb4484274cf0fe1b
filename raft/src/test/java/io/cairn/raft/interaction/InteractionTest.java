package io.cairn.raft.interaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden interaction scripts (etcd-raft's {@code interaction_test.go} over {@code testdata/*.txt}): each file in
 * {@code raft/src/test/resources/interaction/} drives a small cluster command by command (see {@link Commands}) and
 * holds the expected output of each command, raft's own log lines included, so a change in behaviour shows up as
 * a readable diff. After a deliberate change, regenerate the expected output and review the diff:
 * <pre>{@code
 * ./mvnw -q -o -pl raft test -Dtest=InteractionTest -Dcairn.raft.rewrite=true
 * }</pre>
 * Scripts are read from (and rewritten in) the source tree, relative to the module directory Maven runs tests in.
 */
class InteractionTest {
    static final Path DIR = Path.of("src", "test", "resources", "interaction");
    static final boolean REWRITE = Boolean.getBoolean("cairn.raft.rewrite");

    static Stream<String> scripts() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".txt")).sorted().toList()
                .stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void runsScript(String name) throws IOException {
        Path file = DIR.resolve(name);
        Script script = Script.parse(Files.readAllLines(file, StandardCharsets.UTF_8));
        Commands commands = new Commands(new InteractionEnv());
        List<List<String>> outputs = new ArrayList<>();
        for (Script.Block block : script.blocks) {
            try {
                outputs.add(commands.run(block.command(), block.input()));
            } catch (RuntimeException e) {
                throw new AssertionError(name + ":" + block.line() + ": " + block.command() + ": " + e, e);
            }
        }
        String actual = script.render(outputs);
        if (REWRITE) {
            Files.writeString(file, actual, StandardCharsets.UTF_8);
            return;
        }
        assertThat(actual).as("%s (regenerate with -Dcairn.raft.rewrite=true)", name).isEqualTo(script.render());
    }
}
