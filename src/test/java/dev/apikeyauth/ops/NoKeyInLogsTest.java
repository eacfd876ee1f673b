package dev.apikeyauth.ops;

import static dev.apikeyauth.testsupport.RunningApp.KEY;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.apikeyauth.keys.ApiKey;
import dev.apikeyauth.keys.KeyDigest;
import dev.apikeyauth.keys.KeySet;
import dev.apikeyauth.keys.KeyStore;
import dev.apikeyauth.keys.Scopes;
import dev.apikeyauth.testsupport.RawHttp;
import dev.apikeyauth.testsupport.RunningApp;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Runs every contract row with a known key through real Logback as shipped (every logger at its
 * configured level, stack traces included; Jetty at DEBUG would print raw headers, which is why
 * LogSetup pins it at WARN) and fails if the key or its digest appears in a log line, a body or a
 * header; also checks the access-log line of CONTRACT §5.
 */
class NoKeyInLogsTest {
    static final String READ_KEY = "no-key-in-logs-read-key-0123456789";
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private final List<ILoggingEvent> access = Collections.synchronizedList(new ArrayList<>());
    private AppenderBase<ILoggingEvent> appender;
    private Logger root;

    @BeforeEach
    void capture() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        layout.setPattern("%level %logger %msg %kvp %mdc%n%throwable");
        layout.start();
        appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                lines.add(layout.doLayout(event));
                if (event.getLoggerName().equals("access")) {
                    access.add(event);
                }
            }
        };
        appender.setContext(context);
        appender.start();
        root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
    }

    @AfterEach
    void release() {
        root.detachAppender(appender);
    }

    @Test
    void wholeContract_neverWritesTheKey() throws Exception {
        List<String> seen = new ArrayList<>();
        String bearer = "Bearer " + KEY;
        try (RunningApp app = RunningApp.withTestKey()) {
            int port = app.port();
            Function<Response, Response> keep = r -> {
                seen.add(r.asString());
                seen.add(r.getHeaders().toString());
                return r;
            };
            keep.apply(given().port(port).header("Authorization", bearer).get("/"));
            keep.apply(given().port(port).header("Authorization", bearer).head("/"));
            keep.apply(given().port(port).get("/"));
            keep.apply(given().port(port).header("Authorization", "Basic " + KEY).get("/"));
            keep.apply(given().port(port).header("Authorization", "Bearer\t" + KEY).get("/"));
            keep.apply(given().port(port).header("Authorization", bearer + "x").get("/"));
            keep.apply(given().port(port).header("Authorization", bearer + " extra").get("/"));
            keep.apply(given().port(port).header("Authorization", bearer).header("Authorization", bearer).get("/"));
            keep.apply(given().port(port).header("Authorization", bearer).get("/nope"));
            keep.apply(given().port(port).header("Authorization", bearer).post("/"));
            keep.apply(given().port(port).header("Authorization", bearer).get("/health"));
            keep.apply(given().port(port).header("Authorization", bearer).queryParam("api_key", KEY).get("/"));
            seen.add(RawHttp.send(port, "GET / HTTP/1.1\r\nHost: x\r\nAuthorization: " + bearer
                    + "\r\nX-Big: " + "a".repeat(9000) + "\r\n\r\n").toString());
            seen.add(RawHttp.send(port, "GET / HTTP/3.0\r\nHost: x\r\nAuthorization: " + bearer + "\r\n\r\n").toString());
            // Last, so the meters have seen every request above.
            keep.apply(given().port(port).header("Authorization", bearer).get("/metrics"));
        }
        try (RunningApp broken = RunningApp.start(RunningApp.services().keys(() -> {
            throw new IllegalStateException("store failed");
        }))) {
            seen.add(given().port(broken.port()).header("Authorization", bearer).get("/").asString());
        }

        String hex = KeyDigest.of(KEY).format().substring("sha256:".length());
        assertFalse(lines.isEmpty());
        for (String line : lines) {
            assertFalse(line.contains(KEY), "key in log: " + line);
            assertFalse(line.contains(hex), "digest in log: " + line);
            assertFalse(line.contains("Authorization"), "Authorization header in log: " + line);
        }
        for (String output : seen) {
            assertFalse(output.contains(KEY), "key in response: " + output);
        }
        assertTrue(lines.stream().anyMatch(l -> l.contains("store failed")), "the 500 is logged");
    }

    /** The same for a key sent in the key header, and for keys limited by scopes. */
    @Test
    void keyHeaderAndScopes_neverWriteTheKey() throws Exception {
        List<String> seen = new ArrayList<>();
        KeySet keys = KeySet.of(List.of(new ApiKey("default", KeyDigest.of(KEY), null),
                new ApiKey("reader", KeyDigest.of(READ_KEY), null, Scopes.parse("read"))));
        try (RunningApp app = RunningApp.start(RunningApp.services().keys(KeyStore.fixed(keys)).keyHeader("X-API-Key"))) {
            int port = app.port();
            Function<Response, Response> keep = r -> {
                seen.add(r.asString());
                seen.add(r.getHeaders().toString());
                return r;
            };
            for (String key : List.of(KEY, READ_KEY)) {
                keep.apply(given().port(port).header("X-API-Key", key).get("/"));
                keep.apply(given().port(port).header("X-API-Key", key).head("/metrics"));
                keep.apply(given().port(port).header("X-API-Key", key).get("/metrics"));
                keep.apply(given().port(port).header("X-API-Key", key + "x").get("/metrics"));
                keep.apply(given().port(port).header("X-API-Key", key).header("X-API-Key", key).get("/"));
                keep.apply(given().port(port).header("X-API-Key", key).header("Authorization", "Bearer " + key)
                        .get("/"));
                keep.apply(given().port(port).header("X-API-Key", key).post("/metrics"));
                keep.apply(given().port(port).header("X-API-Key", key).get("/metrics/" + key));
                keep.apply(given().port(port).header("Authorization", "Bearer " + key).get("/metrics"));
                seen.add(RawHttp.send(port, "GET / HTTP/1.1\r\nHost: x\r\nX-API-Key: " + key
                        + "\r\nX-Big: " + "a".repeat(9000) + "\r\n\r\n").toString());
                seen.add(RawHttp.send(port, "GET / HTTP/1.1\r\nHost: x\r\nX-API-Key: " + key + "\u0000\r\n\r\n")
                        .toString());
            }
            keep.apply(given().port(port).header("X-API-Key", KEY).get("/metrics"));
        }
        assertFalse(lines.isEmpty());
        assertTrue(access.stream().anyMatch(e -> e.getFormattedMessage().contains("key=reader auth=insufficient_scope")));
        for (String key : List.of(KEY, READ_KEY)) {
            String hex = KeyDigest.of(key).format().substring("sha256:".length());
            for (String line : lines) {
                assertFalse(line.contains(key), "key in log: " + line);
                assertFalse(line.contains(hex), "digest in log: " + line);
                assertFalse(line.toLowerCase(java.util.Locale.ROOT).contains("x-api-key"), "key header in log: " + line);
            }
            for (String output : seen) {
                assertFalse(output.contains(key), "key in response: " + output);
            }
        }
    }

    @Test
    void accessLog_hasOneLinePerRequest_withTheContractFields() {
        try (RunningApp app = RunningApp.withTestKey()) {
            given().port(app.port()).header("Authorization", "Bearer " + KEY).header("X-Request-Id", "rid-1")
                    .queryParam("q", "secret-query").get("/").then().statusCode(200);
            given().port(app.port()).header("X-Request-Id", "rid-2").get("/nope").then().statusCode(401);
        }
        assertEquals(2, access.size(), lines.toString());
        String ok = access.get(0).getFormattedMessage();
        assertTrue(ok.matches("rid-1 GET / 200 \\d+\\.\\d\\dms key=default auth=ok client=127\\.0\\.0\\.1"), ok);
        String refused = access.get(1).getFormattedMessage();
        assertTrue(refused.matches("rid-2 GET unmatched 401 \\d+\\.\\d\\dms key=- auth=missing client=127\\.0\\.0\\.1"), refused);
        assertFalse(lines.stream().anyMatch(l -> l.contains("secret-query")), "query strings are never logged");
        var kvp = access.get(0).getKeyValuePairs();
        assertEquals(List.of("httpRequest", "requestId", "keyId", "auth"), kvp.stream().map(p -> p.key).toList());
        Map<?, ?> httpRequest = (Map<?, ?>) kvp.get(0).value;
        assertEquals(List.of("requestMethod", "requestUrl", "status", "latency", "remoteIp", "protocol"),
                List.copyOf(httpRequest.keySet()));
        assertEquals("/", httpRequest.get("requestUrl"));
        assertEquals(200, httpRequest.get("status"));
        assertTrue(httpRequest.get("latency").toString().matches("\\d+\\.\\d{6}s"), httpRequest.toString());
    }

    @Test
    void accessLog_ofAKeyWithoutTheRoutesScope_namesTheKeyAndInsufficientScope() {
        KeySet keys = KeySet.of(List.of(new ApiKey("reader", KeyDigest.of(READ_KEY), null, Scopes.parse("read"))));
        try (RunningApp app = RunningApp.start(RunningApp.services().keys(KeyStore.fixed(keys)))) {
            given().port(app.port()).header("Authorization", "Bearer " + READ_KEY).header("X-Request-Id", "rid-3")
                    .get("/metrics").then().statusCode(403);
        }
        assertEquals(1, access.size(), lines.toString());
        String line = access.get(0).getFormattedMessage();
        assertTrue(line.matches("rid-3 GET /metrics 403 \\d+\\.\\d\\dms key=reader auth=insufficient_scope "
                + "client=127\\.0\\.0\\.1"), line);
        assertFalse(lines.stream().anyMatch(l -> l.contains(READ_KEY)));
    }

    @Test
    void keyPastedIntoAUrl_isNotLogged() {
        try (RunningApp app = RunningApp.withTestKey()) {
            given().port(app.port()).get("/" + KEY).then().statusCode(401);
            given().port(app.port()).header("Authorization", "Bearer " + KEY).get("/v1/" + KEY + "/x").then()
                    .statusCode(404);
        }
        assertEquals(2, access.size(), lines.toString());
        for (ILoggingEvent event : access) {
            assertTrue(event.getFormattedMessage().contains(" GET unmatched "), event.getFormattedMessage());
        }
        assertFalse(lines.stream().anyMatch(l -> l.contains(KEY)));
    }
}
