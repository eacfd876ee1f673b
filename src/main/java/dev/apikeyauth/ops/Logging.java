package dev.apikeyauth.ops;

import ch.qos.logback.classic.LoggerContext;
import dev.apikeyauth.config.LogFormat;
import org.slf4j.LoggerFactory;

/** Switches Logback to the configured format ({@link LogSetup} starts it as text) and flushes it at the end. */
public final class Logging {
    /** Whether the service set logging up; the other commands never start Logback. */
    private static volatile boolean configured;

    private Logging() {
    }

    public static void configure(LogFormat format) {
        configured = true;
        if (format == LogFormat.TEXT) {
            return; // LogSetup, which Logback runs first, sets up the text format
        }
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        LogSetup.apply(context, format);
    }

    /**
     * Writes out every buffered line and stops logging: call it last, just before the process
     * ends ({@link BufferedConsoleAppender} holds lines for a moment).
     */
    public static void flush() {
        if (configured && LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }
}
