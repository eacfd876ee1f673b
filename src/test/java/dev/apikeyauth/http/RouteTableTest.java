package dev.apikeyauth.http;

import static dev.apikeyauth.testsupport.RunningApp.KEY;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikeyauth.ops.Metrics;
import dev.apikeyauth.testsupport.RunningApp;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The routes the app really registers (read from Javalin's router), the OpenAPI document, the
 * guard's public paths and the metrics' route templates all describe the same routes.
 */
class RouteTableTest {
    static final Set<String> OPERATIONS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    static RunningApp app;
    static JsonNode document;

    @BeforeAll
    static void start() throws Exception {
        app = RunningApp.withTestKey();
        document = new ObjectMapper().readTree(given().port(app.port()).get("/openapi.json").then().statusCode(200)
                .extract().asByteArray());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    /** "GET /path" for every endpoint registered in the app, before-handlers and the like left out. */
    static Set<String> registered() {
        return app.app().unsafe.internalRouter.allHttpHandlers().stream()
                .map(parsed -> parsed.endpoint)
                .filter(e -> e.method.isHttpMethod())
                .map(e -> e.method.name() + " " + e.path)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** "GET /path" for every operation in the document. */
    static Set<String> documented() {
        Set<String> operations = new TreeSet<>();
        for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                if (OPERATIONS.contains(operation.getKey())) {
                    operations.add(operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            }
        }
        return operations;
    }

    @Test
    void everyRegisteredRoute_isDocumented_andEveryDocumentedOperationIsRegistered() {
        Set<String> registered = registered();
        assertTrue(registered.contains("GET /metrics"), registered.toString());
        assertEquals(registered, documented());
    }

    @Test
    void metricsRouteTemplates_areTheRegisteredPaths() {
        Set<String> paths = registered().stream().map(r -> r.substring(r.indexOf(' ') + 1)).collect(Collectors.toSet());
        assertEquals(paths, new HashSet<>(App.ROUTE_TEMPLATES));
    }

    @Test
    void metricsRouteLabel_isTheTemplateOfTheMatchingRoute_elseUnmatched() {
        RequestMetrics labels = new RequestMetrics(new Metrics(), App.ROUTE_TEMPLATES);
        Map<String, String> cases = Map.ofEntries(
                Map.entry("/", "/"), Map.entry("/health", "/health"), Map.entry("/metrics", "/metrics"),
                Map.entry("/openapi.json", "/openapi.json"), Map.entry("/docs", "/docs"),
                Map.entry("/docs/swagger-ui.css", "/docs/{asset}"), Map.entry("/docs/anything", "/docs/{asset}"),
                Map.entry("/docs/", "unmatched"), Map.entry("/docs/a/b", "unmatched"), Map.entry("//", "unmatched"),
                Map.entry("/health/", "unmatched"), Map.entry("/%68ealth", "unmatched"), Map.entry("", "unmatched"),
                Map.entry("/docsx", "unmatched"), Map.entry("/nope", "unmatched"));
        cases.forEach((path, template) -> assertEquals(template, labels.route(path), path));
    }

    @Test
    void documentedSecurity_isWhatTheGuardDoes() {
        assertEquals("[{\"bearerAuth\":[]}]", document.get("security").toString());
        int checked = 0;
        for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                JsonNode security = operation.getValue().get("security");
                String concrete = concrete(path.getKey(), operation.getValue());
                int status = given().port(app.port()).request(operation.getKey().toUpperCase(Locale.ROOT), concrete)
                        .statusCode();
                String what = operation.getKey() + " " + concrete + " -> " + status;
                if (security.isEmpty()) {
                    assertEquals(200, status, what);
                    assertTrue(App.PUBLIC_PATHS.contains(concrete), what);
                } else {
                    assertEquals("[{\"bearerAuth\":[]}]", security.toString(), what);
                    assertEquals(401, status, what);
                    assertTrue(operation.getValue().get("responses").has("401"), what);
                    assertTrue(operation.getValue().get("responses").has("403"), what);
                    assertTrue(operation.getValue().get("responses").has("400"), what);
                    assertFalse(App.PUBLIC_PATHS.contains(concrete), what);
                }
                checked++;
            }
        }
        assertEquals(registered().size(), checked);
    }

    @Test
    void publicPaths_areExactlyThoseOfThePublicOperations() {
        Set<String> documentedPublic = new HashSet<>();
        for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                if (!operation.getValue().get("security").isEmpty()) {
                    continue;
                }
                JsonNode parameters = operation.getValue().get("parameters");
                if (parameters == null) {
                    documentedPublic.add(path.getKey());
                } else {
                    String name = parameters.get(0).get("name").asText();
                    parameters.get(0).get("schema").get("enum").forEach(value ->
                            documentedPublic.add(path.getKey().replace("{" + name + "}", value.asText())));
                }
            }
        }
        assertEquals(App.PUBLIC_PATHS, documentedPublic);
    }

    @Test
    void everyPublicPath_isServedWithoutAKey_andEveryProtectedRouteNeedsOne() {
        for (String path : App.PUBLIC_PATHS) {
            given().port(app.port()).get(path).then().statusCode(200);
        }
        given().port(app.port()).get("/").then().statusCode(401);
        given().port(app.port()).get("/metrics").then().statusCode(401);
        given().port(app.port()).header("Authorization", "Bearer " + KEY).get("/metrics").then().statusCode(200);
    }

    /** The path with its parameter, if any, set to the first value the document allows. */
    private static String concrete(String template, JsonNode operation) {
        JsonNode parameters = operation.get("parameters");
        if (parameters == null) {
            return template;
        }
        JsonNode parameter = parameters.get(0);
        return template.replace("{" + parameter.get("name").asText() + "}",
                parameter.get("schema").get("enum").get(0).asText());
    }
}
