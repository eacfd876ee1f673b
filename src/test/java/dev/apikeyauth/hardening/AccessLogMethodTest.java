package dev.apikeyauth.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.apikeyauth.testsupport.RawHttp;
import dev.apikeyauth.testsupport.RunningApp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The access log writes a request's method as its label, never a caller-chosen string of any length. */
class AccessLogMethodTest {

    @Test
    void aLongMadeUpMethod_isLoggedAsOther() throws Exception {
        List<ILoggingEvent> access = Collections.synchronizedList(new ArrayList<>());
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger logger = context.getLogger("access");
        AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                access.add(event);
            }
        };
        appender.setContext(context);
        appender.start();
        logger.addAppender(appender);
        String method = "X".repeat(3000);
        try (RunningApp app = RunningApp.withTestKey()) {
            RawHttp.Response response = RawHttp.send(app.port(), method + " / HTTP/1.1\r\nHost: t\r\n"
                    + "X-Request-Id: long-method\r\nConnection: close\r\n\r\n");
            assertEquals(401, response.status());
            assertEquals("{\"detail\":\"Not authenticated\"}", response.body());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (access.stream().noneMatch(e -> e.getFormattedMessage().startsWith("long-method "))) {
                assertTrue(System.nanoTime() < deadline, "no access line");
                Thread.sleep(10); // polling for the line, not waiting a fixed time
            }
            ILoggingEvent line = access.stream().filter(e -> e.getFormattedMessage().startsWith("long-method "))
                    .findFirst().orElseThrow();
            assertTrue(line.getFormattedMessage().startsWith("long-method other / 401 "), line.getFormattedMessage());
            assertFalse(line.getFormattedMessage().contains("XXXX"), line.getFormattedMessage());
            assertTrue(line.getKeyValuePairs().stream().anyMatch(kv -> kv.key.equals("httpRequest")
                    && ((Map<?, ?>) kv.value).get("requestMethod").equals("other")), line.toString());
        } finally {
            logger.detachAppender(appender);
        }
    }
}
