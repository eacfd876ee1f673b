package dev.apikeyauth.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apikeyauth.testsupport.RawHttp;
import dev.apikeyauth.testsupport.RunningApp;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Requests Jetty's parser refuses before any route or guard runs, answered by {@link JsonErrorHandler}. */
class ParserLevelErrorsTest {
    static RunningApp app;

    @BeforeAll
    static void start() {
        app = RunningApp.withTestKey();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static void assertRefused(RawHttp.Response response, int status, String detail) {
        assertEquals(status, response.status(), response.toString());
        assertEquals("{\"detail\":\"" + detail + "\"}", response.body());
        assertEquals("application/json", response.header("Content-Type"));
        assertEquals("nosniff", response.header("X-Content-Type-Options"));
        assertTrue(response.header("X-Request-Id").matches("[0-9a-f]{32}"), response.toString());
        assertNull(response.header("Server"));
    }

    @Test
    void headersOver8KiB_get431() throws IOException {
        String request = "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(9000) + "\r\n\r\n";
        assertRefused(RawHttp.send(app.port(), request), 431, "Request Header Fields Too Large");
    }

    @Test
    void moreThanAHundredHeaderFields_get431_thoughTheyFitIn8KiB() throws IOException {
        String request = "GET / HTTP/1.1\r\nHost: x\r\n" + "x:1\r\n".repeat(100) + "\r\n"; // 101 with Host
        assertRefused(RawHttp.send(app.port(), request), 431, "Request Header Fields Too Large");
    }

    @Test
    void headersJustUnder8KiB_reachTheGuard() throws IOException {
        String head = "GET / HTTP/1.1\r\nHost: x\r\nX-Big: ";
        String request = head + "a".repeat(8000 - head.length()) + "\r\n\r\n";
        RawHttp.Response response = RawHttp.send(app.port(), request);
        assertEquals(401, response.status());
    }

    @Test
    void uriOver8KiB_gets414() throws IOException {
        String request = "GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n";
        assertRefused(RawHttp.send(app.port(), request), 414, "URI Too Long");
    }

    @Test
    void missingHost_gets400() throws IOException {
        assertRefused(RawHttp.send(app.port(), "GET / HTTP/1.1\r\n\r\n"), 400, "Bad Request");
    }

    @Test
    void conflictingContentLength_gets400() throws IOException {
        String request = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab";
        assertRefused(RawHttp.send(app.port(), request), 400, "Bad Request");
    }

    @Test
    void garbageBytes_get400() throws IOException {
        assertRefused(RawHttp.send(app.port(), new byte[] {0, 1, 2, 'x', '\r', '\n', '\r', '\n'}), 400,
                "Bad Request");
    }

    @Test
    void http3RequestLine_gets505() throws IOException {
        assertRefused(RawHttp.send(app.port(), "GET / HTTP/3.0\r\nHost: x\r\n\r\n"), 505,
                "HTTP Version Not Supported");
    }

    @Test
    void http2RequestLineInClearText_gets505() throws IOException {
        assertRefused(RawHttp.send(app.port(), "GET / HTTP/2.0\r\nHost: x\r\n\r\n"), 505,
                "HTTP Version Not Supported");
    }

    @Test
    void http10_isServed() throws IOException {
        RawHttp.Response response = RawHttp.send(app.port(),
                "GET / HTTP/1.0\r\nAuthorization: Bearer " + RunningApp.KEY + "\r\n\r\n");
        assertEquals(200, response.status());
        assertEquals("{\"message\":\"Hello, World!\"}", response.body());
    }

    @Test
    void controlCharacterInAuthorization_gets400() throws IOException {
        String request = "GET / HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer\u000b" + RunningApp.KEY + "\r\n\r\n";
        assertRefused(RawHttp.send(app.port(), request), 400, "Bad Request");
    }

    @Test
    void parserErrors_getAFreshRequestId() throws IOException {
        // The request line failed, so nothing the caller sent after it is trusted.
        RawHttp.Response response = RawHttp.send(app.port(),
                "GET / HTTP/3.0\r\nHost: x\r\nX-Request-Id: trace-1\r\n\r\n");
        assertRefused(response, 505, "HTTP Version Not Supported");
    }
}
