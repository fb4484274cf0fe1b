package io.cairn.server.log;

import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.slf4j.LoggerFactory;

/**
 * Sends {@code java.util.logging} records, and so {@link System.Logger}'s (the WAL and backend modules log through
 * it; with no other provider the JDK hands it to java.util.logging), to SLF4J, so that they come out as the
 * member's JSON lines instead of java.util.logging's two-line text on stderr. Levels: SEVERE to error, WARNING to
 * warn, INFO and CONFIG to info, FINE to debug, finer to trace; a record the SLF4J logger would drop is dropped
 * here. java.util.logging's own levels still filter first (INFO and above by default, so library FINE logging
 * costs nothing on hot paths). The message is java.util.logging's formatted text (parameters and resource bundles
 * applied).
 */
public final class JulBridge extends Handler {
    private static final Formatter MESSAGES = new SimpleFormatter();

    private JulBridge() {
    }

    /** Replaces the root java.util.logging logger's handlers (the console handler) with this bridge. */
    public static void install() {
        Logger root = LogManager.getLogManager().getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        root.addHandler(new JulBridge());
    }

    @Override
    public void publish(LogRecord r) {
        if (r == null) {
            return;
        }
        org.slf4j.Logger log = LoggerFactory.getLogger(r.getLoggerName() == null ? "jul" : r.getLoggerName());
        org.slf4j.event.Level level = level(r.getLevel());
        if (!log.isEnabledForLevel(level)) {
            return;
        }
        log.atLevel(level).setCause(r.getThrown()).log(MESSAGES.formatMessage(r));
    }

    static org.slf4j.event.Level level(Level level) {
        int v = level.intValue();
        if (v >= Level.SEVERE.intValue()) {
            return org.slf4j.event.Level.ERROR;
        }
        if (v >= Level.WARNING.intValue()) {
            return org.slf4j.event.Level.WARN;
        }
        if (v >= Level.CONFIG.intValue()) {
            return org.slf4j.event.Level.INFO;
        }
        return v >= Level.FINE.intValue() ? org.slf4j.event.Level.DEBUG : org.slf4j.event.Level.TRACE;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
