package io.cairn.server.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.encoder.EncoderBase;
import io.cairn.server.Json;
import java.nio.charset.StandardCharsets;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per line in etcd's zap shape: {@code {"level":"info","ts":"…","logger":"…","msg":"…",
 * <key-value pairs>}}. Key-value pairs come from SLF4J's fluent API ({@code log.atInfo().addKeyValue(k, v)}),
 * numbers and booleans unquoted; an exception adds {@code "error"}.
 */
public final class EtcdJsonEncoder extends EncoderBase<ILoggingEvent> {

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent e) {
        StringBuilder b = new StringBuilder(160);
        b.append("{\"level\":").append(Json.quote(level(e.getLevel())))
            .append(",\"ts\":").append(Json.quote(e.getInstant().toString()))
            .append(",\"logger\":").append(Json.quote(shortName(e.getLoggerName())))
            .append(",\"msg\":").append(Json.quote(e.getFormattedMessage()));
        if (e.getKeyValuePairs() != null) {
            for (KeyValuePair kv : e.getKeyValuePairs()) {
                b.append(',').append(Json.quote(kv.key)).append(':').append(value(kv.value));
            }
        }
        IThrowableProxy t = e.getThrowableProxy();
        if (t != null) {
            b.append(",\"error\":").append(Json.quote(t.getClassName() + ": " + t.getMessage()));
        }
        return b.append("}\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String value(Object v) {
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        return Json.quote(String.valueOf(v));
    }

    private static String level(Level level) {
        return level.toString().toLowerCase(java.util.Locale.ROOT);
    }

    private static String shortName(String logger) {
        int dot = logger.lastIndexOf('.');
        return dot < 0 ? logger : logger.substring(dot + 1);
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }
}
