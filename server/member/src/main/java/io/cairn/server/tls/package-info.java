/**
 * TLS for the client port and the peer transport, with etcd's flags and behaviour. Imports the configuration, the
 * peer transport's {@code PeerSecurity} seam, Armeria's TLS setters, Netty's {@code SslHandler} and BouncyCastle
 * (PEM and CRL parsing, auto-TLS certificates); only the member wiring imports it.
 *
 * <h2>What each endpoint does</h2>
 * <pre>
 *                      client port (Armeria, OpenSSL engine)        peer transport (Netty, JDK engine)
 *   our certificate    --cert-file/--key-file or --auto-tls         --peer-cert-file/--peer-key-file or
 *                                                                   --peer-auto-tls; also sent when dialing
 *   their certificate  required when --client-cert-auth or          required when --peer-client-cert-auth or
 *                      --trusted-ca-file (etcd's rule); chain       --peer-trusted-ca-file; chain checked in the
 *                      checked against the CA                       handshake; a dialed listener's also by host
 *   CRL, allowed       in the handshake: a refusal fails it         accepted: when the HELLO arrives, refused with
 *   CN/hostname                                                     an ERROR frame (the dialer logs the reason);
 *                                                                   dialed: in the handshake
 *   SAN vs address     -                                            accepted dialers (etcd's checkCertSAN), unless
 *                                                                   --experimental-peer-skip-client-san-...
 *   versions, ciphers  --tls-min-version/--tls-max-version (TLS1.2, TLS1.3), --cipher-suites (Go's names;
 *                      TLS 1.2 only, the TLS 1.3 suites stay on as in Go)
 * </pre>
 *
 * <h2>Files</h2>
 * Read at start by {@code EndpointTls}: an unreadable file, one without PEM data, or a key that does not sign for
 * the certificate stops the member with a message naming the flag and file (etcd-like: {@code open ...: no such
 * file or directory}, {@code tls: private key does not match public key}). Afterwards every new connection stats
 * the certificate and key files ({@code KeyMaterial}) and the CRL ({@code RevocationList}), re-reading them when
 * they changed: etcd re-reads them per handshake; open connections keep what they negotiated. A replacement that
 * does not parse or match is logged and ignored until it is fixed. Auto-TLS writes {@code cert.pem} and
 * {@code key.pem} under {@code <data-dir>/fixtures/client} or {@code /peer} (ECDSA P-256, {@code O=etcd}, the
 * listen hosts as SANs) and reuses them after a restart; as in etcd, the other side's certificates are then not
 * verified, so auto-TLS encrypts but does not authenticate.
 *
 * <h2>Session resumption</h2>
 * Each dialed peer connection gets a fresh JDK context, so it never resumes a TLS session: every connection shows
 * (and has checked) the current certificates, like etcd's Go dialers, which keep no session cache. The client port
 * resumes no session either, as measured: it reuses no TLS 1.2 session ID and sends no TLS 1.3 ticket
 * ({@code openssl s_client -sess_out}); {@code ClientTlsResumptionTest} offers a cached session, gets a new one,
 * and is refused once its certificate is revoked. So every client connection's certificate is checked against the
 * current CRL.
 *
 * <h2>Threads</h2>
 * Handshakes run on the Netty event loops (Armeria's or the peer transport's), the DISCOVER handshake on the
 * starting thread. Everything here is immutable or guards its reload with a lock; reloads are rare and short.
 */
package io.cairn.server.tls;
