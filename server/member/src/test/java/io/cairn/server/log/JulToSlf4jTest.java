package io.cairn.server.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.tls.LogCapture;
import java.io.IOException;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** The bridge CairnMain installs: java.util.logging and System.Logger records become the member's SLF4J lines. */
class JulToSlf4jTest {
    @BeforeAll
    static void install() {
        SLF4JBridgeHandler.removeHandlersForRootLogger(); // as CairnMain.main does
        SLF4JBridgeHandler.install();
    }

    @Test
    void systemLoggerWarningsReachSlf4jFormatted() {
        try (LogCapture log = LogCapture.of(JulToSlf4jTest.class)) {
            System.getLogger(JulToSlf4jTest.class.getName()).log(System.Logger.Level.WARNING,
                "wal: slow {0} of {1}", "fdatasync", "/data/wal");
            assertThat(log.lines()).containsExactly("WARN wal: slow fdatasync of /data/wal ");
        }
    }

    @Test
    void recordsBelowTheSlf4jLevelAreDropped() {
        // logback-test.xml sets the root to WARN
        try (LogCapture log = LogCapture.of(JulToSlf4jTest.class)) {
            java.util.logging.Logger jul = java.util.logging.Logger.getLogger(JulToSlf4jTest.class.getName());
            jul.info("not shown");
            jul.log(Level.SEVERE, "failed", new IOException("disk"));
            assertThat(log.lines()).containsExactly("ERROR failed ");
        }
    }

    @Test
    void theConsoleHandlerIsReplaced() {
        Handler[] handlers = LogManager.getLogManager().getLogger("").getHandlers();
        assertThat(handlers).hasSize(1).allMatch(h -> h instanceof SLF4JBridgeHandler);
    }
}
