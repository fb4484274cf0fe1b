package io.cairn.server.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One endpoint's TLS files and checks (etcd's {@code transport.TLSInfo}): the client endpoint's
 * {@code --cert-file} etc., or the peer endpoint's {@code --peer-cert-file} etc. Immutable; the files are only
 * named here, read when the member starts ({@code io.cairn.server.tls}).
 *
 * @param certFile the certificate chain this endpoint presents (PEM), leaf first
 * @param keyFile its private key (PEM: PKCS#1 {@code RSA PRIVATE KEY}, PKCS#8 {@code PRIVATE KEY} or SEC1
 *     {@code EC PRIVATE KEY})
 * @param trustedCaFile the CAs that sign the other side's certificates; as in etcd, setting it also makes the
 *     server side require a client certificate
 * @param clientCertAuth require a client certificate signed by {@code trustedCaFile} (the system CAs without it)
 * @param crlFile a CRL (PEM or DER): a certificate whose serial number it lists is refused, in any chain position;
 *     re-read when the file changes
 * @param autoTls generate a self-signed certificate under {@code <data-dir>/fixtures/client|peer} when no
 *     certificate is given; the other side's certificates are then not verified (etcd's behaviour)
 * @param allowedCn the only CN the other side's certificate may carry ("" for any)
 * @param allowedHostname a host name or IP the other side's certificate must be valid for ("" for any)
 * @param skipClientSanVerify the peer listener does not check that a dialing peer's certificate SANs include the
 *     address it connects from
 */
public record TlsInfo(Optional<Path> certFile, Optional<Path> keyFile, Optional<Path> trustedCaFile,
                      boolean clientCertAuth, Optional<Path> crlFile, boolean autoTls, String allowedCn,
                      String allowedHostname, boolean skipClientSanVerify) {

    /** No TLS at all (plain http:// URLs only). */
    public static final TlsInfo NONE = new TlsInfo(Optional.empty(), Optional.empty(), Optional.empty(), false,
        Optional.empty(), false, "", "", false);

    public TlsInfo {
        Objects.requireNonNull(certFile, "certFile");
        Objects.requireNonNull(keyFile, "keyFile");
        Objects.requireNonNull(trustedCaFile, "trustedCaFile");
        Objects.requireNonNull(crlFile, "crlFile");
        Objects.requireNonNull(allowedCn, "allowedCn");
        Objects.requireNonNull(allowedHostname, "allowedHostname");
        if (certFile.isPresent() != keyFile.isPresent()) {
            throw new ConfigException("KeyFile and CertFile must both be present[key: " + keyFile.map(Path::toString)
                .orElse("") + ", cert: " + certFile.map(Path::toString).orElse("") + "]");
        }
        if (!allowedCn.isEmpty() && !allowedHostname.isEmpty()) {
            throw new ConfigException("AllowedCN and AllowedHostname are mutually exclusive (cn=\"" + allowedCn
                + "\", hostname=\"" + allowedHostname + "\")");
        }
    }

    /** etcd's {@code TLSInfo.Empty()}: neither a certificate nor a key was given. */
    public boolean isEmpty() {
        return certFile.isEmpty();
    }

    /** Whether https:// URLs of this endpoint can be served: certificate files, or a generated certificate. */
    public boolean canServe() {
        return !isEmpty() || autoTls;
    }

    /**
     * Whether the server side requires and verifies a client certificate: etcd's
     * {@code RequireAndVerifyClientCert} when a trusted CA file is given or client-cert-auth is on.
     */
    public boolean requiresClientCert() {
        return trustedCaFile.isPresent() || clientCertAuth;
    }
}
