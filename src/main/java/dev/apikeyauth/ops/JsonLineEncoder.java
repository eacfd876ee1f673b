package dev.apikeyauth.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * {@code LOG_FORMAT=json}: each event as one JSON object on one line, in the shape Cloud Logging
 * (and the log pipelines that follow it) reads from a container's output: {@code severity}
 * ({@code DEBUG}, {@code INFO}, {@code WARNING}, {@code ERROR}), {@code message}, {@code time}
 * (RFC 3339, UTC, milliseconds), {@code logger}, {@code stack_trace} when there is one, then the
 * event's key/value pairs as fields of their own (the access log's {@code httpRequest},
 * {@code requestId}, {@code keyId}, {@code auth} and trace fields: see {@code http.RequestLog}).
 *
 * <p>Written here rather than composed from logstash-logback-encoder, which fits otherwise: that
 * encoder builds a Jackson {@code ObjectMapper} as it starts (~500 classes, the ones the OpenAPI
 * route keeps off the start path for the same reason), which measurably delayed the first 200
 * of a cold instance and grew its memory (docs/operations.md has the figures). The fields are few
 * and fixed.
 *
 * <p>Values may be strings, numbers, booleans, {@code null} and maps of them (nested objects);
 * anything else is written as its {@code toString()}, as a string.
 */
final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        StringBuilder out = new StringBuilder(384);
        out.append("{\"severity\":\"").append(severity(event.getLevel())).append('"');
        field(out, "message", event.getFormattedMessage());
        field(out, "time", TIME.format(Instant.ofEpochMilli(event.getTimeStamp())));
        field(out, "logger", event.getLoggerName());
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            // Cloud Error Reporting finds a Java stack trace in this field.
            field(out, "stack_trace", ThrowableProxyUtil.asString(thrown));
        }
        if (event.getKeyValuePairs() != null) {
            for (KeyValuePair pair : event.getKeyValuePairs()) {
                out.append(',');
                string(out, pair.key);
                out.append(':');
                value(out, pair.value);
            }
        }
        return out.append("}\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The platform's name of a level: Logback's {@code WARN} is {@code WARNING}, {@code TRACE} is {@code DEBUG}. */
    static String severity(Level level) {
        return switch (level.toInt()) {
            case Level.ERROR_INT -> "ERROR";
            case Level.WARN_INT -> "WARNING";
            case Level.INFO_INT -> "INFO";
            default -> "DEBUG";
        };
    }

    private static void field(StringBuilder out, String name, String value) {
        out.append(',');
        string(out, name);
        out.append(':');
        string(out, value);
    }

    private static void value(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long
                || value instanceof Short || value instanceof Byte) {
            out.append(value);
        } else if ((value instanceof Double || value instanceof Float)
                && Double.isFinite(((Number) value).doubleValue())) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(out, String.valueOf(entry.getKey()));
                out.append(':');
                value(out, entry.getValue());
            }
            out.append('}');
        } else {
            string(out, value.toString());
        }
    }

    /** A JSON string (RFC 8259): quotes, backslashes and control characters escaped. */
    static void string(StringBuilder out, String s) {
        if (s == null) {
            out.append("null");
            return;
        }
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
