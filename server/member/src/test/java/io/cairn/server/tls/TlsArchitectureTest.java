package io.cairn.server.tls;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * TLS is a leaf beside the peer transport: it knows the configuration, the transport's security seam, Netty,
 * Armeria's TLS setters and BouncyCastle; the member wiring alone uses it (not the raft pipeline, the services,
 * the configuration or the transport).
 */
class TlsArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.cairn.server");

    @Test
    void dependsOnConfigTheSeamNettyArmeriaAndBouncyCastleOnly() {
        classes().that().resideInAPackage("io.cairn.server.tls..").should().onlyDependOnClassesThat()
            .resideInAnyPackage("java..", "javax.net.ssl..", "javax.security.auth.x500..", "io.cairn.server.tls..",
                "io.cairn.server.config..", "io.cairn.server.peer..", "io.netty..", "com.linecorp.armeria.common..",
                "com.linecorp.armeria.server..", "org.bouncycastle..", "org.slf4j..")
            .check(MAIN);
    }

    @Test
    void onlyTheMemberWiringUsesIt() {
        noClasses().that().resideInAnyPackage("io.cairn.server.consensus..", "io.cairn.server.config..",
            "io.cairn.server.rpc..", "io.cairn.server.metrics..", "io.cairn.server.peer..", "io.cairn.server.http..")
            .should().dependOnClassesThat().resideInAPackage("io.cairn.server.tls..")
            .check(MAIN);
    }
}
