package dev.apikeyauth.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import dev.apikeyauth.config.LogFormat;
import org.slf4j.Logger;

/**
 * The logging set-up, in code: Logback finds this class as a service and uses it instead of
 * reading an XML file, which took its configuration parser (some 400 classes) out of the start-up
 * path. Text by default; {@link Logging#configure} switches to JSON lines.
 *
 * <p>Standard output, through {@link BufferedConsoleAppender}. Jetty and Javalin are chatty at
 * INFO, and Jetty at DEBUG prints raw request headers ({@code Authorization} included): they stay
 * at WARN. {@code -Dlogback.configurationFile=...} still takes a file instead, for debugging.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {
    static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z',UTC} %-5level [%thread] %logger{20} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        apply(context, LogFormat.TEXT);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Configures {@code context} (fresh or just reset) for {@code format}. */
    static void apply(LoggerContext context, LogFormat format) {
        Encoder<ILoggingEvent> encoder = format == LogFormat.JSON ? json() : text();
        encoder.setContext(context);
        encoder.start();

        BufferedConsoleAppender appender = new BufferedConsoleAppender();
        appender.setContext(context);
        appender.setName("STDOUT");
        appender.setEncoder(encoder);
        appender.start();

        context.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
        context.getLogger("io.javalin").setLevel(Level.WARN);
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(appender);
    }

    private static Encoder<ILoggingEvent> text() {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setPattern(TEXT_PATTERN);
        return encoder;
    }

    /** One JSON object a line, in the platform's shape: {@link JsonLineEncoder}. */
    static Encoder<ILoggingEvent> json() {
        return new JsonLineEncoder();
    }
}
