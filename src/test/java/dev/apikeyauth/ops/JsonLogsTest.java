package dev.apikeyauth.ops;

import static dev.apikeyauth.testsupport.RunningApp.KEY;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.apikeyauth.testsupport.JsonLogLines;
import dev.apikeyauth.testsupport.RunningApp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * LOG_FORMAT=json as the service writes it: the encoder of {@link LogSetup} on real Logback, fed by
 * the real app. Every line is one JSON object in the platform's shape (checked by
 * {@link JsonLogLines}); the access line carries the request, the caller's key identity and the trace.
 */
class JsonLogsTest {
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String SPAN = "00f067aa0ba902b7";
    static final String TRACEPARENT = "00-" + TRACE + "-" + SPAN + "-01";

    private final List<String> encoded = Collections.synchronizedList(new ArrayList<>());
    private AppenderBase<ILoggingEvent> appender;
    private Logger root;

    @BeforeEach
    void encodeEveryEvent() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Encoder<ILoggingEvent> encoder = LogSetup.json();
        encoder.setContext(context);
        encoder.start();
        appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                encoded.add(new String(encoder.encode(event), StandardCharsets.UTF_8));
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

    /** Every line so far, each checked; waits until one holds {@code text} (access lines come just after the answer). */
    List<JsonNode> lines(String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (encoded.stream().noneMatch(l -> l.contains(text))) {
            assertTrue(System.nanoTime() < deadline, "no line with " + text + ": " + encoded);
            Thread.sleep(5); // polling for the line, not waiting a fixed time
        }
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : List.copyOf(encoded)) {
            assertTrue(line.endsWith("\n") && line.indexOf('\n') == line.length() - 1, "one line: " + line);
            nodes.add(JsonLogLines.parse(line.strip()));
        }
        return nodes;
    }

    /** The access line of the request with this X-Request-Id, once written. */
    JsonNode access(String requestId) throws Exception {
        return lines("\"requestId\":\"" + requestId + "\"").stream()
                .filter(n -> requestId.equals(n.path("requestId").asText())).findFirst().orElseThrow();
    }

    @Test
    void accessLine_hasTheRequest_theKeyIdentity_andTheTrace_withTheProjectsTraceName() throws Exception {
        try (RunningApp app = RunningApp.start(RunningApp.services().cloudProject(Optional.of("my-project-123")))) {
            given().port(app.port()).header("Authorization", "Bearer " + KEY).header("X-Request-Id", "json-1")
                    .header("traceparent", TRACEPARENT).queryParam("q", "not-logged").get("/").then().statusCode(200);
            given().port(app.port()).header("X-Request-Id", "json-2").header("traceparent", "00-" + TRACE + "-" + SPAN)
                    .get("/nope/x").then().statusCode(401);
            JsonNode ok = access("json-1");
            assertEquals("access", ok.get("logger").asText());
            assertEquals("INFO", ok.get("severity").asText());
            JsonNode http = ok.get("httpRequest");
            assertEquals("GET", http.get("requestMethod").asText());
            assertEquals("/", http.get("requestUrl").asText());
            assertEquals(200, http.get("status").asInt());
            assertEquals("127.0.0.1", http.get("remoteIp").asText());
            assertEquals("HTTP/1.1", http.get("protocol").asText());
            assertEquals("default", ok.get("keyId").asText());
            assertEquals("ok", ok.get("auth").asText());
            assertEquals(TRACE, ok.get("traceId").asText());
            assertEquals(SPAN, ok.get("spanId").asText());
            assertEquals("projects/my-project-123/traces/" + TRACE, ok.get("logging.googleapis.com/trace").asText());
            assertEquals(SPAN, ok.get("logging.googleapis.com/spanId").asText());
            assertTrue(ok.get("logging.googleapis.com/trace_sampled").asBoolean());

            JsonNode refused = access("json-2");
            assertEquals("unmatched", refused.get("httpRequest").get("requestUrl").asText());
            assertEquals(401, refused.get("httpRequest").get("status").asInt());
            assertEquals("-", refused.get("keyId").asText());
            assertEquals("missing", refused.get("auth").asText());
            assertFalse(refused.has("traceId") || refused.has("logging.googleapis.com/trace"), "invalid traceparent");
        }
        assertFalse(encoded.stream().anyMatch(l -> l.contains("not-logged") || l.contains(KEY)), encoded.toString());
    }

    @Test
    void withoutAProject_theTraceIsNamed_butNotInTheProjectsFields() throws Exception {
        try (RunningApp app = RunningApp.withTestKey()) {
            given().port(app.port()).header("Authorization", "Bearer " + KEY).header("X-Request-Id", "json-3")
                    .header("traceparent", TRACEPARENT).head("/").then().statusCode(200);
            JsonNode line = access("json-3");
            assertEquals("HEAD", line.get("httpRequest").get("requestMethod").asText());
            assertEquals(TRACE, line.get("traceId").asText());
            assertFalse(line.has("logging.googleapis.com/trace") || line.has("logging.googleapis.com/spanId"));
        }
    }

    @Test
    void anUnexpectedFault_isAnErrorLine_withItsStackTraceInAFieldOfItsOwn() throws Exception {
        try (RunningApp broken = RunningApp.start(RunningApp.services().keys(() -> {
            throw new IllegalStateException("store failed");
        }))) {
            given().port(broken.port()).header("Authorization", "Bearer " + KEY).header("X-Request-Id", "json-4")
                    .get("/").then().statusCode(500);
            JsonNode error = lines("store failed").stream().filter(n -> n.get("severity").asText().equals("ERROR"))
                    .findFirst().orElseThrow();
            assertEquals("Unhandled exception in request json-4", error.get("message").asText());
            assertTrue(error.get("stack_trace").asText().startsWith("java.lang.IllegalStateException: store failed"),
                    error.toString());
            assertTrue(error.get("stack_trace").asText().contains("\tat dev.apikeyauth."), error.toString());
            assertEquals(500, access("json-4").get("httpRequest").get("status").asInt());
        }
    }

    @Test
    void severities_areTheNamesThePlatformKnows() throws Exception {
        LoggerFactory.getLogger("json-test").warn("a warning");
        LoggerFactory.getLogger("json-test").error("an error");
        List<JsonNode> lines = lines("an error");
        assertEquals("WARNING", lines.get(lines.size() - 2).get("severity").asText());
        assertEquals("ERROR", lines.get(lines.size() - 1).get("severity").asText());
        assertEquals("json-test", lines.get(lines.size() - 1).get("logger").asText());
        assertEquals("DEBUG", JsonLineEncoder.severity(Level.DEBUG));
        assertEquals("DEBUG", JsonLineEncoder.severity(Level.TRACE));
        assertEquals("INFO", JsonLineEncoder.severity(Level.INFO));
    }

    @Test
    void anyText_andValue_staysOneLineOfValidJson() throws Exception {
        String nasty = "quote \" backslash \\ newline \n return \r tab \t nul \u0000 bell \u0007 del \u007f "
                + "unicode \u00e9\u4e2d\ud83d\ude00 line-sep \u2028 </script>";
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("n", 1L);
        nested.put("x", 0.5);
        nested.put("nan", Double.NaN);
        nested.put("none", null);
        nested.put(nasty, List.of(1, 2));
        LoggerFactory.getLogger("json-test").atInfo().addKeyValue("nested", nested).addKeyValue("flag", false)
                .addKeyValue(nasty, nasty).log(nasty);
        JsonNode line = lines("json-test").stream().filter(n -> n.get("logger").asText().equals("json-test"))
                .reduce((a, b) -> b).orElseThrow();
        assertEquals(nasty, line.get("message").asText());
        assertEquals(nasty, line.get(nasty).asText());
        assertTrue(line.get("flag").isBoolean() && !line.get("flag").asBoolean());
        JsonNode map = line.get("nested");
        assertTrue(map.get("n").isIntegralNumber() && map.get("x").isDouble(), map.toString());
        assertEquals("NaN", map.get("nan").asText());
        assertTrue(map.get("none").isNull());
        assertEquals("[1, 2]", map.get(nasty).asText());
    }
}
