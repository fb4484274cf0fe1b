package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CairnMain as a child JVM, driven by the real {@code etcdctl} (Debian's etcd-client, 3.4): put, get, endpoint
 * status; then SIGTERM must close the member gracefully. Skipped where etcdctl is not installed.
 */
class EtcdctlProcessTest {

    @TempDir
    Path dir;

    @Test
    void etcdctlPutGetAgainstServerProcess() throws Exception {
        assertThat(EtcdctlProcess.installed()).as("etcdctl (apt-get install -y etcd-client; .ci/run does)").isTrue();
        ServerProcess server = ServerProcess.start(dir.resolve("data"), 0, dir.resolve("server.log"),
            "--backend-engine", "memory");
        String url = server.url;
        try {
            assertThat(server.logText()).contains("\"msg\":\"ready to serve client requests\"")
                .contains("\"msg\":\"published {Name:default ClientURLs:[" + url + "]} to cluster ")
                .contains("\"msg\":\"enabled capabilities for version 3.5\"")
                .contains("\"msg\":\"serving client requests on 127.0.0.1:" + server.port + "\"");
            assertThat(EtcdctlProcess.run(url, "put", "greeting", "hello")).isEqualTo("OK\n");
            assertThat(EtcdctlProcess.run(url, "get", "greeting")).isEqualTo("greeting\nhello\n");
            assertThat(EtcdctlProcess.run(url, "get", "--prefix", "greet", "--print-value-only")).isEqualTo("hello\n");
            assertThat(EtcdctlProcess.run(url, "del", "greeting")).isEqualTo("1\n");
            assertThat(EtcdctlProcess.run(url, "endpoint", "status")).contains("3.5.17");
        } finally {
            server.stop(); // SIGTERM
        }
        assertThat(server.logText()).contains("\"msg\":\"stopped member\"");
    }
}
