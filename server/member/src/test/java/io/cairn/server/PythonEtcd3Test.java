package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Debian's python3-etcd3 (0.12, gRPC) runs the scenarios of {@code python/etcd3_scenarios.py} against a member:
 * the Python client must work unchanged. {@code .ci/run} installs python3-etcd3; the system interpreter
 * {@code /usr/bin/python3} is used because Debian installs the package there.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PythonEtcd3Test {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @TempDir
    static Path dir;

    private TestMember server;
    private Path script;

    @BeforeAll
    void start() throws Exception {
        server = TestMember.start(dir.resolve("data"), "rocksdb");
        script = dir.resolve("etcd3_scenarios.py");
        try (InputStream in = getClass().getResourceAsStream("/python/etcd3_scenarios.py")) {
            Files.write(script, in.readAllBytes());
        }
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"kv", "txn", "watch", "lease", "lock"})
    void scenarioPasses(String scenario) throws Exception {
        assertThat(PYTHON).as("python3-etcd3 needs Debian's python (apt-get install -y python3-etcd3)").isExecutable();
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), script.toString(), "127.0.0.1",
            String.valueOf(server.server.port()), scenario));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("ok " + scenario);
    }
}
