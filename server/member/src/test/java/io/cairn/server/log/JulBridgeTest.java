package io.cairn.server.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.tls.LogCapture;
import java.io.IOException;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JulBridgeTest {
    @BeforeAll
    static void install() {
        JulBridge.install();
    }

    @Test
    void systemLoggerWarningsReachSlf4jFormatted() {
        try (LogCapture log = LogCapture.of(JulBridgeTest.class)) {
            System.getLogger(JulBridgeTest.class.getName()).log(System.Logger.Level.WARNING,
                "wal: slow {0} of {1}", "fdatasync", "/data/wal");
            assertThat(log.lines()).containsExactly("WARN wal: slow fdatasync of /data/wal ");
        }
    }

    @Test
    void recordsBelowTheSlf4jLevelAreDropped() {
        // logback-test.xml sets the root to WARN
        try (LogCapture log = LogCapture.of(JulBridgeTest.class)) {
            java.util.logging.Logger jul = java.util.logging.Logger.getLogger(JulBridgeTest.class.getName());
            jul.info("not shown");
            jul.log(Level.SEVERE, "failed", new IOException("disk"));
            assertThat(log.lines()).containsExactly("ERROR failed ");
        }
    }

    @Test
    void theConsoleHandlerIsReplaced() {
        Handler[] handlers = LogManager.getLogManager().getLogger("").getHandlers();
        assertThat(handlers).hasSize(1).allMatch(h -> h instanceof JulBridge);
    }

    @Test
    void levelsMapAsDocumented() {
        assertThat(JulBridge.level(Level.SEVERE)).isEqualTo(org.slf4j.event.Level.ERROR);
        assertThat(JulBridge.level(Level.WARNING)).isEqualTo(org.slf4j.event.Level.WARN);
        assertThat(JulBridge.level(Level.INFO)).isEqualTo(org.slf4j.event.Level.INFO);
        assertThat(JulBridge.level(Level.CONFIG)).isEqualTo(org.slf4j.event.Level.INFO);
        assertThat(JulBridge.level(Level.FINE)).isEqualTo(org.slf4j.event.Level.DEBUG);
        assertThat(JulBridge.level(Level.FINEST)).isEqualTo(org.slf4j.event.Level.TRACE);
    }
}
