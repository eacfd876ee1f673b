package dev.apikeyauth.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What every line of {@code LOG_FORMAT=json} must be (CONTRACT §5): one JSON object with
 * {@code severity}, {@code message}, {@code time}, {@code logger}; access lines also with
 * {@code httpRequest} and the flat fields, each of the stated type.
 */
public final class JsonLogLines {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> SEVERITIES = Set.of("DEBUG", "INFO", "WARNING", "ERROR");

    private JsonLogLines() {
    }

    /** Parses and checks every line of {@code output}; returns them as objects. */
    public static List<JsonNode> parseAll(String output) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : output.lines().toList()) {
            lines.add(parse(line));
        }
        return lines;
    }

    /** One line, checked as the class comment says. */
    public static JsonNode parse(String line) throws IOException {
        JsonNode node = MAPPER.readTree(line);
        assertTrue(node != null && node.isObject(), "not a JSON object: " + line);
        assertTrue(SEVERITIES.contains(node.path("severity").asText("-")) && node.get("severity").isTextual(),
                "severity: " + line);
        assertTrue(node.path("message").isTextual(), "message: " + line);
        assertTrue(node.path("logger").isTextual(), "logger: " + line);
        assertTrue(node.path("time").isTextual()
                && node.get("time").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), "time: " + line);
        Instant.parse(node.get("time").asText());
        if (node.has("stack_trace")) {
            assertTrue(node.get("stack_trace").isTextual(), "stack_trace: " + line);
        }
        if ("access".equals(node.get("logger").asText())) {
            checkAccess(node, line);
        }
        return node;
    }

    private static void checkAccess(JsonNode node, String line) {
        JsonNode http = node.path("httpRequest");
        assertTrue(http.isObject(), "httpRequest: " + line);
        assertTrue(http.path("requestMethod").isTextual(), "requestMethod: " + line);
        String url = http.path("requestUrl").asText("");
        assertTrue(http.path("requestUrl").isTextual() && (url.equals("unmatched") || url.startsWith("/"))
                && !url.contains("?"), "requestUrl is a route template: " + line);
        assertTrue(http.path("status").isInt(), "status is a number: " + line);
        assertTrue(http.path("latency").isTextual() && http.get("latency").asText().matches("\\d+\\.\\d{6}s"),
                "latency: " + line);
        assertTrue(http.path("remoteIp").isTextual() && !http.get("remoteIp").asText().isEmpty(), "remoteIp: " + line);
        assertTrue(http.path("protocol").isTextual() && http.get("protocol").asText().matches("HTTP/1\\.[01]"),
                "protocol: " + line);
        for (String field : List.of("requestId", "keyId", "auth")) {
            assertTrue(node.path(field).isTextual(), field + ": " + line);
        }
        if (node.has("traceId") || node.has("spanId")) {
            assertTrue(node.path("traceId").asText("").matches("[0-9a-f]{32}"), "traceId: " + line);
            assertTrue(node.path("spanId").asText("").matches("[0-9a-f]{16}"), "spanId: " + line);
        }
        if (node.has("logging.googleapis.com/trace")) {
            assertTrue(node.get("logging.googleapis.com/trace").asText().matches(
                    "projects/[a-z0-9.:-]+/traces/" + node.path("traceId").asText()), "trace: " + line);
            assertEquals(node.path("spanId").asText(), node.path("logging.googleapis.com/spanId").asText(), line);
        } else {
            assertFalse(node.has("logging.googleapis.com/spanId"), line);
        }
    }
}
