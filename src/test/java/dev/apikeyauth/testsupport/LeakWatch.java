package dev.apikeyauth.testsupport;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Registered for every test class (JUnit extension auto-detection): records every log line (real
 * Logback, every logger, stack traces included), every REST Assured response of the class and
 * the metrics of every app it started ({@link RunningApp#close}), and fails the class if a known key appears in any of them. Known keys are {@link RunningApp#KEY},
 * every {@code static final String} constant of the test class whose name ends in {@code KEY}
 * and that is at least 16 characters long, and every credential the class sent through REST
 * Assured of that length: the token of an {@code Authorization} header and the value of a key
 * header ({@link #KEY_HEADER}), so a key made at run time, or sent the other way, is watched too.
 */
public final class LeakWatch implements BeforeAllCallback, AfterAllCallback {
    private static final List<String> LINES = Collections.synchronizedList(new ArrayList<>());
    private static final List<String> RESPONSES = Collections.synchronizedList(new ArrayList<>());
    private static final Set<String> SENT = Collections.synchronizedSet(new LinkedHashSet<>());
    /** The key header the tests configure ({@code AUTH_API_KEY_HEADER}); its values are watched. */
    public static final String KEY_HEADER = "X-API-Key";
    private static final int MIN_KEY = 16;
    private static volatile boolean installed;

    @Override
    public void beforeAll(ExtensionContext context) {
        reset();
    }

    static void reset() {
        install();
        LINES.clear();
        RESPONSES.clear();
        SENT.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Set<String> keys = knownKeys(context.getRequiredTestClass());
        synchronized (SENT) {
            keys.addAll(SENT);
        }
        check(keys);
    }

    /** The credentials a class sent, as the watch will look for them. */
    static Set<String> sent() {
        synchronized (SENT) {
            return new LinkedHashSet<>(SENT);
        }
    }

    /** Fails if any of {@code keys} is in a line or response recorded since the class began. */
    static void check(Set<String> keys) {
        List<String> lines;
        List<String> responses;
        synchronized (LINES) {
            lines = new ArrayList<>(LINES);
        }
        synchronized (RESPONSES) {
            responses = new ArrayList<>(RESPONSES);
        }
        for (String key : keys) {
            for (String line : lines) {
                if (line.contains(key)) {
                    throw new AssertionError("a key leaked into a log line: " + line.replace(key, "<KEY>"));
                }
            }
            for (String response : responses) {
                if (response.contains(key)) {
                    throw new AssertionError("a key leaked into a response or metric: "
                            + response.replace(key, "<KEY>"));
                }
            }
        }
    }

    /** Adds an output of the app (e.g. its metrics) to what this class is checked against. */
    static void record(String what, String output) {
        RESPONSES.add(what + ":\n" + output);
    }

    /** How many log lines and responses the current class produced, for the watch's own test. */
    public static int watched() {
        return LINES.size() + RESPONSES.size();
    }

    static Set<String> knownKeys(Class<?> testClass) {
        Set<String> keys = new LinkedHashSet<>();
        keys.add(RunningApp.KEY);
        for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
            for (Field field : c.getDeclaredFields()) {
                int modifiers = field.getModifiers();
                if (Modifier.isStatic(modifiers) && Modifier.isFinal(modifiers) && field.getType() == String.class
                        && field.getName().endsWith("KEY")) {
                    try {
                        field.setAccessible(true);
                        String value = (String) field.get(null);
                        if (value != null && value.length() >= MIN_KEY) {
                            keys.add(value);
                        }
                    } catch (IllegalAccessException | RuntimeException e) {
                        // not readable: not a key this class uses
                    }
                }
            }
        }
        return keys;
    }

    private static synchronized void install() {
        if (installed) {
            return;
        }
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        layout.setPattern("%level %logger %msg %kvp %mdc%n%throwable");
        layout.start();
        AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                LINES.add(layout.doLayout(event));
            }
        };
        appender.setContext(context);
        appender.setName("leak-watch");
        appender.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
        Filter recorder = (request, response, ctx) -> {
            for (var header : request.getHeaders()) {
                String value = header.getValue().strip();
                if (header.getName().equalsIgnoreCase("Authorization")) {
                    int space = value.indexOf(' ');
                    value = space < 0 ? value : value.substring(space + 1).strip();
                } else if (!header.getName().equalsIgnoreCase(KEY_HEADER)) {
                    continue;
                }
                if (value.length() >= MIN_KEY) {
                    SENT.add(value);
                }
            }
            var result = ctx.next(request, response);
            RESPONSES.add(result.getStatusLine() + "\n" + result.getHeaders() + "\n" + result.asString());
            return result;
        };
        RestAssured.filters(recorder);
        installed = true;
    }
}
