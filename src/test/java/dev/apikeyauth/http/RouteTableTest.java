package dev.apikeyauth.http;

import static dev.apikeyauth.testsupport.RunningApp.KEY;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikeyauth.testsupport.PrometheusText;
import dev.apikeyauth.testsupport.RawHttp;
import dev.apikeyauth.testsupport.RunningApp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What Javalin serves, what the OpenAPI document lists, the public paths and the metrics' route
 * labels all agree: each is derived from the one route list, and this checks the results over
 * real HTTP, without reading Javalin's internals.
 */
class RouteTableTest {
    static final Set<String> OPERATIONS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");
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
    void theDocument_listsExactlyTheDeclaredRoutes() {
        Set<String> declared = App.routes(RunningApp.services().build()).stream()
                .map(route -> route.method().name() + " " + route.path())
                .collect(Collectors.toCollection(TreeSet::new));
        assertTrue(declared.contains("GET /metrics"), declared.toString());
        assertEquals(declared, documented());
    }

    @Test
    void everyDocumentedOperation_isServed_andItsPathAnswersNoOtherMethod() {
        Map<String, Set<String>> methodsByPath = new TreeMap<>();
        for (String operation : documented()) {
            String[] parts = operation.split(" ", 2);
            methodsByPath.computeIfAbsent(parts[1], p -> new TreeSet<>()).add(parts[0]);
        }
        for (Map.Entry<String, Set<String>> entry : methodsByPath.entrySet()) {
            String path = concrete(entry.getKey());
            Set<String> served = new TreeSet<>();
            for (String method : METHODS) {
                var response = given().port(app.port()).header("Authorization", "Bearer " + KEY)
                        .request(method, path);
                int status = response.statusCode();
                if (status == 405) {
                    Set<String> allow = new TreeSet<>(List.of(response.header("Allow").split(", ")));
                    assertEquals(entry.getValue(), allow, method + " " + path + ": Allow");
                } else {
                    assertEquals(200, status, method + " " + path);
                    served.add(method);
                }
            }
            // Javalin answers HEAD for every GET route; the document lists HEAD where it has its own route.
            Set<String> expected = new TreeSet<>(entry.getValue());
            if (expected.contains("GET")) {
                expected.add("HEAD");
            }
            assertEquals(expected, served, path);
        }
    }

    @Test
    void documentedSecurity_isWhatTheGuardDoes_andThePublicPathsAreThoseOfTheOpenOperations() {
        assertEquals("[{\"bearerAuth\":[]}]", document.get("security").toString());
        Map<String, String> scopes = new TreeMap<>();
        App.routes(RunningApp.services().build()).stream().filter(route -> route.scope() != null)
                .forEach(route -> scopes.put(route.method().name().toLowerCase(Locale.ROOT) + " " + route.path(),
                        route.scope()));
        assertEquals(Map.of("get /metrics", "metrics"), scopes);
        Set<String> documentedPublic = new HashSet<>();
        int checked = 0;
        for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                JsonNode security = operation.getValue().get("security");
                for (String concrete : concretes(path.getKey(), operation.getValue())) {
                    int status = given().port(app.port())
                            .request(operation.getKey().toUpperCase(Locale.ROOT), concrete).statusCode();
                    String what = operation.getKey() + " " + concrete + " -> " + status;
                    if (security.isEmpty()) {
                        assertEquals(200, status, what);
                        assertTrue(App.publicPaths().contains(concrete), what);
                        documentedPublic.add(concrete);
                    } else {
                        String scope = scopes.get(operation.getKey() + " " + path.getKey());
                        assertEquals("[{\"bearerAuth\":[" + (scope == null ? "" : "\"" + scope + "\"") + "]}]",
                                security.toString(), what);
                        assertEquals(401, status, what);
                        assertTrue(operation.getValue().get("responses").has("401"), what);
                        assertTrue(operation.getValue().get("responses").has("403"), what);
                        assertTrue(operation.getValue().get("responses").has("400"), what);
                        assertFalse(App.publicPaths().contains(concrete), what);
                    }
                    checked++;
                }
            }
        }
        assertEquals(App.publicPaths(), documentedPublic);
        assertTrue(checked >= documented().size());
    }

    @Test
    void metricsRouteLabel_isTheTemplateOfTheMatchingRoute_elseUnmatched() throws Exception {
        Map<String, String> cases = new TreeMap<>(Map.ofEntries(
                Map.entry("/", "/"), Map.entry("/health", "/health"), Map.entry("/metrics", "/metrics"),
                Map.entry("/openapi.json", "/openapi.json"), Map.entry("/docs", "/docs"),
                Map.entry("/docs/swagger-ui.css", "/docs/{asset}"), Map.entry("/docs/anything", "/docs/{asset}"),
                Map.entry("/docs/", "unmatched"), Map.entry("/docs/a/b", "unmatched"), Map.entry("//", "unmatched"),
                Map.entry("/health/", "unmatched"), Map.entry("/%68ealth", "unmatched"),
                Map.entry("/docsx", "unmatched"), Map.entry("/nope", "unmatched")));
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, String> c : cases.entrySet()) {
            for (boolean withKey : List.of(true, false)) {
                double before = count(c.getValue());
                // Raw, so the path goes as written ("//" and "%68" untouched by a client library).
                RawHttp.send(app.port(), "POST " + c.getKey() + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                        + (withKey ? "Authorization: Bearer " + KEY + "\r\n" : "") + "Connection: close\r\n\r\n");
                if (count(c.getValue()) != before + 1) {
                    failures.add(c.getKey() + (withKey ? " with" : " without") + " a key is not counted under "
                            + c.getValue());
                }
            }
        }
        assertEquals(List.of(), failures);
    }

    /** Requests counted under {@code route}, POSTs only (the scrapes themselves are GETs). */
    private static double count(String route) {
        String text = given().port(app.port()).header("Authorization", "Bearer " + KEY).get("/metrics").asString();
        return PrometheusText.parse(text).samples().stream()
                .filter(s -> s.name().equals("http_server_requests_seconds_count"))
                .filter(s -> route.equals(s.labels().get("route")) && "POST".equals(s.labels().get("method")))
                .mapToDouble(PrometheusText.Sample::value).sum();
    }

    /** The path with its parameter, if any, set to the first value the document allows. */
    private static String concrete(String template) {
        for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
            if (path.getKey().equals(template)) {
                return concretes(template, path.getValue().properties().iterator().next().getValue()).get(0);
            }
        }
        throw new AssertionError(template);
    }

    /** The path once, or once for each value its parameter may take. */
    private static List<String> concretes(String template, JsonNode operation) {
        JsonNode parameters = operation.get("parameters");
        if (parameters == null) {
            return List.of(template);
        }
        JsonNode parameter = parameters.get(0);
        List<String> paths = new ArrayList<>();
        parameter.get("schema").get("enum").forEach(value ->
                paths.add(template.replace("{" + parameter.get("name").asText() + "}", value.asText())));
        return paths;
    }
}
