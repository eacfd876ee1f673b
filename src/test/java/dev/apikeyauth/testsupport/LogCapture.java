package dev.apikeyauth.testsupport;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/** The events real Logback sends to one logger (and its children) while open. */
public final class LogCapture implements AutoCloseable {
    private final List<ILoggingEvent> events = Collections.synchronizedList(new ArrayList<>());
    private final Logger logger;
    private final AppenderBase<ILoggingEvent> appender;

    private LogCapture(String name) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        logger = context.getLogger(name);
        appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                events.add(event);
            }
        };
        appender.setContext(context);
        appender.start();
        logger.addAppender(appender);
    }

    /** Captures what the logger {@code name} logs, e.g. {@code "access"}. */
    public static LogCapture of(String name) {
        return new LogCapture(name);
    }

    /** The events so far. */
    public List<ILoggingEvent> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /**
     * The first event that matches, waiting up to 5 s for it: the access log writes a line once
     * the response has been written, which may be just after the client has read it.
     */
    public ILoggingEvent await(Predicate<ILoggingEvent> matching) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            for (ILoggingEvent event : events()) {
                if (matching.test(event)) {
                    return event;
                }
            }
            assertTrue(System.nanoTime() < deadline, () -> "no such event in " + events());
            Thread.sleep(5); // polling for the line, not waiting a fixed time
        }
    }

    /** The access line of the request with this {@code X-Request-Id}. */
    public ILoggingEvent awaitRequest(String requestId) throws InterruptedException {
        return await(e -> e.getFormattedMessage().startsWith(requestId + " "));
    }

    /** The value of a key/value pair of {@code event}, or {@code null}. */
    public static Object value(ILoggingEvent event, String key) {
        if (event.getKeyValuePairs() == null) {
            return null;
        }
        return event.getKeyValuePairs().stream().filter(kv -> kv.key.equals(key)).map(kv -> kv.value)
                .findFirst().orElse(null);
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
