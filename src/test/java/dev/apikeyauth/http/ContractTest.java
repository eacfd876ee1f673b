package dev.apikeyauth.http;

import static dev.apikeyauth.testsupport.RunningApp.KEY;
import static dev.apikeyauth.testsupport.RunningApp.WRONG_KEY;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apikeyauth.testsupport.RawHttp;
import dev.apikeyauth.testsupport.RunningApp;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** CONTRACT §1, row by row, over real HTTP against the app from the factory. */
class ContractTest {
    static final String FRESH_ID = "[0-9a-f]{32}";
    static RunningApp app;

    @BeforeAll
    static void start() {
        app = RunningApp.withTestKey();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    RequestSpecification request() {
        return given().port(app.port()).urlEncodingEnabled(false);
    }

    RequestSpecification withKey() {
        return request().header("Authorization", "Bearer " + KEY);
    }

    /** What every answer carries (CONTRACT §1, last paragraph). */
    static ValidatableResponse common(ValidatableResponse response) {
        return response
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Request-Id", matchesPattern(FRESH_ID))
                .header("Server", nullValue())
                .header("X-Powered-By", nullValue());
    }

    static ValidatableResponse detail(ValidatableResponse response, int status, String detail) {
        return common(response.statusCode(status))
                .contentType("application/json")
                .body(equalTo("{\"detail\":\"" + detail + "\"}"));
    }

    @Test
    void get_withValidKey_returnsHello() {
        common(withKey().get("/").then().statusCode(200))
                .contentType("application/json")
                .header("Cache-Control", "no-store")
                .header("WWW-Authenticate", nullValue())
                .body(equalTo("{\"message\":\"Hello, World!\"}"));
    }

    @Test
    void head_withValidKey_returnsGetHeadersWithoutBody() {
        common(withKey().head("/").then().statusCode(200))
                .contentType("application/json")
                .header("Cache-Control", "no-store")
                .header("Content-Length", "27")
                .body(equalTo(""));
    }

    @Test
    void get_withoutAuthorization_returns401() {
        detail(request().get("/").then(), 401, "Not authenticated")
                .header("WWW-Authenticate", "Bearer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Basic dXNlcjpwYXNz", "Token " + KEY, "Bearer", "Bearer ", "Bearer    ",
        "Bearer\t" + KEY, "Bearer_" + KEY, KEY, "", "BearerX " + KEY})
    void get_withMalformedAuthorization_returns401(String value) {
        detail(request().header("Authorization", value).get("/").then(), 401, "Not authenticated")
                .header("WWW-Authenticate", "Bearer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer " + WRONG_KEY, "Bearer " + KEY + " extra", "Bearer " + KEY + "x",
        "Bearer x"})
    void get_withWellFormedUnknownToken_returns403WithoutChallenge(String value) {
        detail(request().header("Authorization", value).get("/").then(), 403, "Could not validate credentials")
                .header("WWW-Authenticate", nullValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"bearer ", "BEARER ", "BeArEr ", "Bearer     ", "Bearer  "})
    void get_withAnySchemeCaseAndSpacing_isAccepted(String prefix) {
        withKeyValue(prefix + KEY + "  ").get("/").then().statusCode(200)
                .body(equalTo("{\"message\":\"Hello, World!\"}"));
    }

    private RequestSpecification withKeyValue(String value) {
        return request().header("Authorization", value);
    }

    @Test
    void get_withTwoAuthorizationHeaders_returns400() {
        detail(request().header("Authorization", "Bearer " + KEY).header("Authorization", "Bearer " + KEY)
                .get("/").then(), 400, "Multiple Authorization headers")
                .header("WWW-Authenticate", "Bearer error=\"invalid_request\"");
    }

    @Test
    void unknownPath_withoutKey_getsSameAnswerAsKnownPath() {
        detail(request().get("/does-not-exist").then(), 401, "Not authenticated")
                .header("WWW-Authenticate", "Bearer");
        detail(request().header("Authorization", "Bearer " + WRONG_KEY).get("/does-not-exist").then(),
                403, "Could not validate credentials");
        detail(request().post("/").then(), 401, "Not authenticated");
        detail(request().delete("/health/x").then(), 401, "Not authenticated");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/nope", "/health/", "/HEALTH", "/%68ealth", "/openapi.json/", "/openapi.yaml",
        "/docs/", "/docs/nope.js", "/docs/index.html", "/docs/swagger-ui.css/", "/metrics/", "/Metrics"})
    void unknownPath_withValidKey_returns404(String path) {
        detail(withKey().get(path).then(), 404, "Not Found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"})
    void wrongMethod_withValidKey_returns405WithAllow(String method) {
        detail(withKey().request(method, "/").then(), 405, "Method Not Allowed")
                .header("Allow", "GET, HEAD");
    }

    @Test
    void health_needsNoKey() {
        common(request().get("/health").then().statusCode(200))
                .contentType("application/json")
                .body(equalTo("{\"status\":\"UP\"}"));
    }

    @Test
    void health_ignoresAnyAuthorization() {
        request().header("Authorization", "Basic x").get("/health").then().statusCode(200)
                .body(equalTo("{\"status\":\"UP\"}"));
    }

    @Test
    void metrics_withValidKey_returnsPrometheusText() {
        common(withKey().get("/metrics").then().statusCode(200))
                .contentType("text/plain; version=0.0.4; charset=utf-8")
                .header("Cache-Control", "no-store")
                .body(containsString("# TYPE http_server_requests_seconds histogram"))
                .body(containsString("# TYPE apikeyauth_authentications_total counter"));
    }

    @Test
    void metrics_withoutValidKey_isRefusedLikeAnyProtectedRoute() {
        detail(request().get("/metrics").then(), 401, "Not authenticated")
                .header("WWW-Authenticate", "Bearer");
        detail(request().header("Authorization", "Bearer " + WRONG_KEY).get("/metrics").then(), 403,
                "Could not validate credentials");
    }

    @Test
    void openApi_needsNoKey_andIsTheDocument() {
        common(request().get("/openapi.json").then().statusCode(200))
                .contentType("application/json")
                .header("Cache-Control", "no-store")
                .body("openapi", equalTo("3.1.0"))
                .body("components.securitySchemes.bearerAuth.scheme", equalTo("bearer"));
    }

    @Test
    void docs_needsNoKey_andIsTheSwaggerUiPage() {
        common(request().get("/docs").then().statusCode(200))
                .contentType("text/html;charset=utf-8")
                .header("Cache-Control", "no-store")
                .body(containsString("<div id=\"swagger-ui\"></div>"))
                .body(containsString("src=\"/docs/swagger-ui-bundle.js\""))
                .body(containsString("src=\"/docs/swagger-initializer.js\""))
                .body(not(containsString("https://")));
    }

    @ParameterizedTest
    @CsvSource({"swagger-ui-bundle.js, text/javascript; charset=utf-8",
        "swagger-initializer.js, text/javascript; charset=utf-8", "swagger-ui.css, text/css; charset=utf-8",
        "index.css, text/css; charset=utf-8", "favicon-32x32.png, image/png", "favicon-16x16.png, image/png"})
    void docsAssets_needNoKey_withTheirContentType_andMayBeCached(String name, String contentType) {
        byte[] body = common(request().get("/docs/" + name).then().statusCode(200))
                .contentType(contentType)
                .header("Cache-Control", "public, max-age=3600")
                .extract().asByteArray();
        assertTrue(body.length > 100, name + " is " + body.length + " bytes");
    }

    @Test
    void swaggerInitializer_pointsAtOurDocument_andTheAuthorizeButtonKeepsTheKey() {
        request().get("/docs/swagger-initializer.js").then().statusCode(200)
                .body(containsString("url: \"/openapi.json\""))
                .body(containsString("persistAuthorization: true"))
                .body(containsString("validatorUrl: null"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/openapi.json", "/docs", "/docs/swagger-ui.css"})
    void publicPaths_ignoreAnyAuthorization(String path) {
        request().header("Authorization", "Basic x").get(path).then().statusCode(200);
        request().header("Authorization", "Bearer " + WRONG_KEY).get(path).then().statusCode(200);
        request().head(path).then().statusCode(200).header("X-Content-Type-Options", "nosniff");
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"})
    void publicPaths_withAnotherMethod_needAKeyFirst_thenAnswer405(String method) {
        for (String path : new String[] {"/health", "/openapi.json", "/docs", "/docs/swagger-ui.css"}) {
            request().request(method, path).then().statusCode(401).header("WWW-Authenticate", "Bearer");
            withKey().request(method, path).then().statusCode(405).header("Allow", "GET");
        }
    }

    @ParameterizedTest
    @CsvSource({"/docs/nope.js, 401", "/docs/, 401", "/docs/index.html, 401", "/docs/swagger-ui.css/, 401",
        "/docs//swagger-ui.css, 401", "/docs/./swagger-ui.css, 401", "/docs/swagger-ui.css;x, 401", "/%64ocs, 401",
        "/docs/%73wagger-ui.css, 401", "/docs/../metrics, 401", "/docs/..%2fmetrics, 401",
        "/docs/%2e%2e/metrics, 401", "/docs/.%2e/metrics, 401", "/docs/%2e%2e%2fmetrics, 401",
        "/docs/..%5cmetrics, 401", "/docs%2f..%2fmetrics, 401", "/docs/swagger-ui.css/../../metrics, 401",
        "/openapi.json/../metrics, 401", "/health/../metrics, 401", "/docs/..;/metrics, 400"})
    void docsPrefix_isPublicOnlyForItsFiles_andNeverReachesAProtectedRoute(String path, int status)
            throws Exception {
        // Raw bytes: an HTTP client library would normalise the dots before sending. Jetty's parser
        // refuses an ambiguous path parameter (";") outright with 400; everything else meets the guard.
        RawHttp.Response response = RawHttp.send(app.port(), "GET " + path + " HTTP/1.1\r\nHost: x\r\n"
                + "Connection: close\r\n\r\n");
        assertEquals(status, response.status(), path + " -> " + response);
        assertEquals(status == 401 ? "{\"detail\":\"Not authenticated\"}" : "{\"detail\":\"Bad Request\"}",
                response.body());
    }

    @Test
    void errors_areJson_whateverAcceptSays() {
        detail(request().accept("text/html").get("/").then(), 401, "Not authenticated");
        detail(withKey().accept("text/html").get("/nope").then(), 404, "Not Found");
        detail(withKey().accept("text/html").post("/").then(), 405, "Method Not Allowed")
                .header("Allow", "GET, HEAD");
        detail(withKey().accept("application/xml").get("/nope").then(), 404, "Not Found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "A-b_c.9", "x"})
    void requestId_fromCaller_isEchoedWhenSafe(String id) {
        request().header("X-Request-Id", id).get("/").then().statusCode(401).header("X-Request-Id", id);
    }

    @Test
    void requestId_ofMaximumLength_isEchoed() {
        String id = "a".repeat(128);
        withKey().header("X-Request-Id", id).get("/").then().statusCode(200).header("X-Request-Id", id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"has space", "semi;colon", "x/y", "ünï", "a\tb"})
    void requestId_unsafe_isReplaced(String id) {
        withKey().header("X-Request-Id", id).get("/").then().statusCode(200)
                .header("X-Request-Id", matchesPattern(FRESH_ID));
    }

    @Test
    void requestId_tooLong_isReplaced() {
        withKey().header("X-Request-Id", "a".repeat(129)).get("/").then().statusCode(200)
                .header("X-Request-Id", matchesPattern(FRESH_ID));
    }

    @Test
    void requestIds_areFreshForEachRequest() {
        String first = withKey().get("/").header("X-Request-Id");
        String second = withKey().get("/").header("X-Request-Id");
        org.junit.jupiter.api.Assertions.assertNotEquals(first, second);
    }
}
