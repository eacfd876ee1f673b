package dev.apikeyauth.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.apikeyauth.keys.ApiKey;
import dev.apikeyauth.keys.KeyDigest;
import dev.apikeyauth.keys.KeySet;
import dev.apikeyauth.keys.KeyStore;
import dev.apikeyauth.keys.Scopes;
import dev.apikeyauth.testsupport.PrometheusText;
import dev.apikeyauth.testsupport.RawHttp;
import dev.apikeyauth.testsupport.RunningApp;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CONTRACT §1 and §2, scopes: a key without {@code scopes=} holds every scope; a route may need one
 * ({@code /metrics} needs {@code metrics}); a valid key without it gets 403 with the RFC 6750
 * challenge, counted as {@code insufficient_scope} under its identity.
 */
class ScopesTest {
    static final String ALL_SCOPES_KEY = RunningApp.KEY;
    static final String READ_KEY = "scopes-test-read-key-0123456789";
    static final String METRICS_KEY = "scopes-test-metrics-key-0123456789";
    static final String EXPIRED_READ_KEY = "scopes-test-expired-key-0123456789";
    static final String CHALLENGE = "Bearer error=\"insufficient_scope\", scope=\"metrics\"";
    static RunningApp app;

    static KeySet keys() {
        return KeySet.of(List.of(new ApiKey("default", KeyDigest.of(ALL_SCOPES_KEY), null),
                new ApiKey("reader", KeyDigest.of(READ_KEY), null, Scopes.parse("read")),
                new ApiKey("watcher", KeyDigest.of(METRICS_KEY), null, Scopes.parse("read,metrics")),
                new ApiKey("old-reader", KeyDigest.of(EXPIRED_READ_KEY), Instant.parse("2020-01-01T00:00:00Z"),
                        Scopes.parse("read"))));
    }

    @BeforeAll
    static void start() {
        app = RunningApp.start(RunningApp.services().keys(KeyStore.fixed(keys())));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static RequestSpecification as(String key) {
        return given().port(app.port()).urlEncodingEnabled(false).header("Authorization", "Bearer " + key);
    }

    static ValidatableResponse detail(ValidatableResponse response, int status, String detail) {
        return response.statusCode(status)
                .contentType("application/json")
                .header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "no-store")
                .body(equalTo("{\"detail\":\"" + detail + "\"}"));
    }

    @Test
    void aRouteThatNeedsNoScope_answersAnyValidKey() {
        for (String key : List.of(ALL_SCOPES_KEY, READ_KEY, METRICS_KEY)) {
            as(key).get("/").then().statusCode(200)
                    .header("WWW-Authenticate", nullValue())
                    .body(equalTo("{\"message\":\"Hello, World!\"}"));
        }
    }

    @Test
    void metrics_answersAKeyWithTheScope_andAKeyWithoutScopesAtAll() {
        for (String key : List.of(ALL_SCOPES_KEY, METRICS_KEY)) {
            as(key).get("/metrics").then().statusCode(200)
                    .contentType("text/plain; version=0.0.4; charset=utf-8")
                    .header("WWW-Authenticate", nullValue())
                    .body(containsString("# TYPE apikeyauth_authentications_total counter"));
        }
    }

    @Test
    void metrics_withAValidKeyWithoutTheScope_is403InsufficientScope_withTheChallenge() {
        detail(as(READ_KEY).get("/metrics").then(), 403, "Insufficient scope")
                .header("WWW-Authenticate", CHALLENGE);
    }

    @Test
    void headOfMetrics_needsTheScopeOfGet() {
        as(READ_KEY).head("/metrics").then().statusCode(403)
                .header("WWW-Authenticate", CHALLENGE)
                .body(equalTo(""));
        as(METRICS_KEY).head("/metrics").then().statusCode(200).header("WWW-Authenticate", nullValue());
    }

    @Test
    void anUnknownOrExpiredKey_onAScopedRoute_getsThe403OfAnyBadKey_withoutChallenge() {
        for (String key : List.of(EXPIRED_READ_KEY, READ_KEY + "x")) {
            detail(as(key).get("/metrics").then(), 403, "Could not validate credentials")
                    .header("WWW-Authenticate", nullValue());
        }
        detail(given().port(app.port()).get("/metrics").then(), 401, "Not authenticated")
                .header("WWW-Authenticate", "Bearer");
    }

    /** The decision CONTRACT §1 records: the scope guards the routes, not the bare path. */
    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "OPTIONS"})
    void anotherMethodOnAScopedPath_isStill405_forAnyValidKey(String method) {
        for (String key : List.of(READ_KEY, METRICS_KEY)) {
            detail(as(key).request(method, "/metrics").then(), 405, "Method Not Allowed")
                    .header("Allow", "GET")
                    .header("WWW-Authenticate", nullValue());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/metrics/", "/%6Detrics", "/Metrics", "//metrics", "/metrics;x", "/nope"})
    void aPathNoRouteServes_isStill404_forAKeyWithoutTheScope_andNeverServesMetrics(String path) throws IOException {
        // Raw, so the path goes as written ("//" and "%6D" untouched by a client library).
        RawHttp.Response response = RawHttp.send(app.port(), "GET " + path + " HTTP/1.1\r\nHost: t\r\n"
                + "Authorization: Bearer " + READ_KEY + "\r\nConnection: close\r\n\r\n");
        // Jetty may refuse an odd path (400) before any route could match it; it never reaches /metrics.
        if (response.status() != 400) {
            assertEquals(404, response.status(), path + ": " + response);
            assertEquals("{\"detail\":\"Not Found\"}", response.body());
            assertNull(response.header("WWW-Authenticate"));
        }
    }

    @Test
    void insufficientScope_isCountedUnderItsOwnResult_withTheKeysIdentity() {
        Map<String, String> labels = Map.of("result", "insufficient_scope", "identity", "reader");
        double before = scrape().value("apikeyauth_authentications_total", labels);
        as(READ_KEY).get("/metrics").then().statusCode(403);
        as(READ_KEY).get("/metrics").then().statusCode(403);
        PrometheusText after = scrape();
        assertEquals(before + 2, after.value("apikeyauth_authentications_total", labels));
    }

    @Test
    void handlers_readTheCallersScopes() {
        try (RunningApp scoped = RunningApp.start(RunningApp.services().keys(KeyStore.fixed(keys()))
                .hello(ctx -> ctx.result(Caller.identity(ctx).orElse("?") + " " + Caller.scopes(ctx))))) {
            given().port(scoped.port()).header("Authorization", "Bearer " + METRICS_KEY).get("/").then()
                    .statusCode(200).body(equalTo("watcher Scopes[metrics, read]"));
            given().port(scoped.port()).header("Authorization", "Bearer " + ALL_SCOPES_KEY).get("/").then()
                    .statusCode(200).body(equalTo("default Scopes[all]"));
        }
    }

    private static PrometheusText scrape() {
        return PrometheusText.parse(as(METRICS_KEY).get("/metrics").then().statusCode(200).extract().asString());
    }
}
