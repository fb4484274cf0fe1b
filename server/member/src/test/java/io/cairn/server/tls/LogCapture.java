package io.cairn.server.tls;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Records what one logger logs while open (logback), as text lines {@code LEVEL message key=value ...}, for tests
 * that check a refusal was logged with its reason. Thread-safe: reads lock the appender, as its appends do.
 */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture(Class<?> source) {
        this.logger = (Logger) LoggerFactory.getLogger(source);
        appender.start();
        logger.addAppender(appender);
    }

    public static LogCapture of(Class<?> source) {
        return new LogCapture(source);
    }

    /** Every event so far, one line each. */
    public List<String> lines() {
        synchronized (appender) {
            return appender.list.stream().map(LogCapture::line).toList();
        }
    }

    /** Whether a line contains every one of {@code parts}. */
    public boolean has(String... parts) {
        return lines().stream().anyMatch(l -> List.of(parts).stream().allMatch(l::contains));
    }

    private static String line(ILoggingEvent e) {
        String kv = e.getKeyValuePairs() == null ? "" : e.getKeyValuePairs().stream()
            .map(p -> p.key + "=" + p.value).collect(Collectors.joining(" "));
        return e.getLevel() + " " + e.getFormattedMessage() + " " + kv;
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
