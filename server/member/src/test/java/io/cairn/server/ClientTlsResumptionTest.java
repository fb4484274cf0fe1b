package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.tls.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client port resumes no TLS session (no TLS 1.2 session cache, no TLS 1.3 tickets), so every connection
 * makes a full handshake and its certificate is checked against the current CRL: a client that offers the session
 * of an earlier connection after its certificate was revoked (the CRL file replaced) is refused. TLS 1.2 is forced
 * here because its session IDs show a resumption; TLS 1.3 sends no ticket to resume with (checked with
 * {@code openssl s_client -sess_out}).
 */
class ClientTlsResumptionTest {
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)content-length: *(\\d+)");
    @TempDir
    static Path dir;
    static TestPki pki;
    static TestPki.Ca ca;
    static TestPki.Issued alice;
    static Path crl;
    static TestMember member;

    @BeforeAll
    static void start() {
        pki = new TestPki(dir.resolve("pki"));
        ca = pki.ca("ca");
        TestPki.Issued server = pki.issue(ca, "server").cn("cairn-server").server().write();
        alice = pki.issue(ca, "alice").cn("alice").client().write();
        crl = pki.crl(ca, "crl");
        member = ClientTlsTest.startWithClientCertAuth(dir.resolve("data"), server, ca, crl);
    }

    @AfterAll
    static void stop() {
        if (member != null) {
            member.close();
        }
    }

    @Test
    void noSessionIsResumedSoACertificateRevokedSinceAnEarlierConnectionIsRefused() throws Exception {
        SSLContext tls = TestPki.sslContext(ca, alice);
        Exchange first = health(tls);
        assertThat(first.response()).startsWith("HTTP/1.1 200");
        Exchange again = health(tls);
        assertThat(again.response()).startsWith("HTTP/1.1 200");
        assertThat(again.resumed(first)).as("the client offered its cached session; the server made a new one")
            .isFalse();

        Path revoking = pki.crl(ca, "crl-revoking-alice", alice);
        Files.move(revoking, crl, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Exchange afterRevocation = health(tls);
        assertThat(afterRevocation.session()).as("full handshake, certificate checked: refused").isNull();
        assertThat(afterRevocation.response()).doesNotContain("200");
    }

    /** What one new connection saw: its TLS session (null if the handshake failed) and the raw HTTP answer. */
    private record Exchange(SSLSession session, String response) {
        boolean resumed(Exchange earlier) {
            return session != null && earlier.session != null && session.getId().length > 0
                && java.util.Arrays.equals(session.getId(), earlier.session.getId());
        }
    }

    /** GET /health over a new TLS connection, HTTP/1.1, connection closed by the request. */
    private static Exchange health(SSLContext tls) throws IOException {
        URI endpoint = URI.create(member.endpoint());
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(endpoint.getHost(),
            endpoint.getPort())) {
            socket.setSoTimeout(10_000);
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            SSLSession session;
            try {
                socket.startHandshake();
                session = socket.getSession();
            } catch (IOException e) {
                return new Exchange(null, "handshake failed: " + e.getMessage());
            }
            try {
                socket.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: " + endpoint.getHost()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                return new Exchange(session, readResponse(socket.getInputStream()));
            } catch (IOException e) {
                return new Exchange(session, "failed: " + e.getMessage());
            }
        }
    }

    /** The response head and its Content-Length of body, or whatever came before the connection ended. */
    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            out.write(b);
            String text = out.toString(StandardCharsets.US_ASCII);
            int headEnd = text.indexOf("\r\n\r\n");
            if (headEnd >= 0) {
                Matcher m = CONTENT_LENGTH.matcher(text.substring(0, headEnd));
                int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
                if (out.size() >= headEnd + 4 + length) {
                    break;
                }
            }
        }
        return out.toString(StandardCharsets.US_ASCII);
    }
}
