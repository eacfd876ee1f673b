package dev.apikeyauth.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.apikeyauth.testsupport.LogCapture;
import dev.apikeyauth.testsupport.RawHttp;
import dev.apikeyauth.testsupport.RunningApp;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The access log writes a request's method as its label, never a caller-chosen string of any length. */
class AccessLogMethodTest {

    @Test
    void aLongMadeUpMethod_isLoggedAsOther() throws Exception {
        String method = "X".repeat(3000);
        try (LogCapture access = LogCapture.of("access"); RunningApp app = RunningApp.withTestKey()) {
            RawHttp.Response response = RawHttp.send(app.port(), method + " / HTTP/1.1\r\nHost: t\r\n"
                    + "X-Request-Id: long-method\r\nConnection: close\r\n\r\n");
            assertEquals(401, response.status());
            assertEquals("{\"detail\":\"Not authenticated\"}", response.body());
            assertEquals("Bearer", response.header("WWW-Authenticate"));
            ILoggingEvent line = access.awaitRequest("long-method");
            assertTrue(line.getFormattedMessage().startsWith("long-method other / 401 "), line.getFormattedMessage());
            assertFalse(line.getFormattedMessage().contains("XXXX"), line.getFormattedMessage());
            assertEquals("other", ((Map<?, ?>) LogCapture.value(line, "httpRequest")).get("requestMethod"));
        }
    }
}
