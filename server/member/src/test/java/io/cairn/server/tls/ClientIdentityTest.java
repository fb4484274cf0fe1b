package io.cairn.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import io.cairn.server.config.ConfigLoader;
import io.cairn.server.config.ServerConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Map;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With --client-cert-auth, a request's {@code ServiceRequestContext.sslSession()} holds the client's verified
 * chain, whose leaf CN etcd's auth takes as the user name ({@link ClientTls#commonName}).
 */
class ClientIdentityTest {
    @TempDir
    Path dir;

    @Test
    void theVerifiedClientCertificateIsInTheRequestsSslSession() throws Exception {
        TestPki pki = new TestPki(dir.resolve("pki"));
        TestPki.Ca ca = pki.ca("ca");
        TestPki.Issued server = pki.issue(ca, "server").server().write();
        TestPki.Issued alice = pki.issue(ca, "alice").cn("alice").client().write();
        ServerConfig config = ((ConfigLoader.Run) ConfigLoader.load(new String[] {"--data-dir",
            dir.resolve("data").toString(), "--listen-client-urls", "https://127.0.0.1:0", "--advertise-client-urls",
            "https://127.0.0.1:0", "--cert-file", server.cert().toString(), "--key-file", server.key().toString(),
            "--trusted-ca-file", ca.cert().toString(), "--client-cert-auth"}, Map.of())).config();
        ServerBuilder sb = Server.builder().https(new InetSocketAddress("127.0.0.1", 0));
        ClientTls.forConfig(config).orElseThrow().applyTo(sb);
        sb.service("/whoami", (ctx, req) -> {
            SSLSession session = ctx.sslSession();
            X509Certificate leaf = (X509Certificate) session.getPeerCertificates()[0];
            return HttpResponse.of(ClientTls.commonName(leaf) + " " + session.getPeerCertificates().length);
        });
        Server armeria = sb.build();
        armeria.start().join();
        try {
            HttpClient http = HttpClient.newBuilder().sslContext(TestPki.sslContext(ca, alice)).build();
            String body = http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + armeria.activeLocalPort()
                + "/whoami")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(body).isEqualTo("alice 1");
        } finally {
            armeria.stop().join();
        }
    }
}
