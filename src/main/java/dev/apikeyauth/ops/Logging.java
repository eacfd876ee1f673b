package dev.apikeyauth.ops;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import dev.apikeyauth.config.LogFormat;
import org.slf4j.LoggerFactory;

/** Switches Logback to the configured format: {@code logback.xml} is text, {@code logback-json.xml} JSON. */
public final class Logging {
    private Logging() {
    }

    public static void configure(LogFormat format) {
        if (format == LogFormat.TEXT) {
            return; // logback.xml, loaded by default, is the text format
        }
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(Logging.class.getResource("/logback-json.xml"));
        } catch (JoranException e) {
            throw new IllegalStateException("the bundled logback-json.xml is broken", e);
        }
    }
}
