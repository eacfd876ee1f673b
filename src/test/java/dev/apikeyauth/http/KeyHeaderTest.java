package dev.apikeyauth.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CONTRACT §1, the optional key header: with {@code AUTH_API_KEY_HEADER=X-API-Key} that header's
 * whole value is also a key; with anything beside it the request is refused; unset, it is ignored.
 */
class KeyHeaderTest {
    static final String KEY = RunningApp.KEY;
    static final String READ_KEY = "key-header-test-read-key-0123456789";
    static final String HEADER = "X-API-Key";
    static RunningApp app;

    @BeforeAll
    static void start() {
        KeySet keys = KeySet.of(List.of(new ApiKey("default", KeyDigest.of(KEY), null),
                new ApiKey("reader", KeyDigest.of(READ_KEY), null, Scopes.parse("read"))));
        app = RunningApp.start(RunningApp.services().keys(KeyStore.fixed(keys)).keyHeader(HEADER));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static RequestSpecification request() {
        return given().port(app.port());
    }

    static ValidatableResponse detail(ValidatableResponse response, int status, String detail) {
        return response.statusCode(status)
                .contentType("application/json")
                .header("X-Content-Type-Options", "nosniff")
                .body(equalTo("{\"detail\":\"" + detail + "\"}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-API-Key", "x-api-key", "X-Api-Key"})
    void aKeyInTheHeader_isAccepted_whateverTheNamesCase(String name) {
        request().header(name, KEY).get("/").then().statusCode(200)
                .contentType("application/json")
                .header("Cache-Control", "no-store")
                .header("WWW-Authenticate", nullValue())
                .body(equalTo("{\"message\":\"Hello, World!\"}"));
    }

    @Test
    void theValue_isTrimmedOfSpaces() throws IOException {
        // Raw, so the spaces go as written: Jetty drops the ones around a value, the guard any left.
        RawHttp.Response response = RawHttp.send(app.port(), "GET / HTTP/1.1\r\nHost: t\r\nX-API-Key:    " + KEY
                + "   \r\nConnection: close\r\n\r\n");
        assertEquals(200, response.status(), response.toString());
    }

    @Test
    void aWrongKeyInTheHeader_gets403_withoutChallenge() {
        detail(request().header(HEADER, KEY + "x").get("/").then(), 403, "Could not validate credentials")
                .header("WWW-Authenticate", nullValue());
        detail(request().header(HEADER, "Bearer " + KEY).get("/").then(), 403, "Could not validate credentials");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void anEmptyHeader_countsAsMissing_401(String value) {
        detail(request().header(HEADER, value).get("/").then(), 401, "Not authenticated")
                .header("WWW-Authenticate", "Bearer");
    }

    @Test
    void theHeaderAndAuthorization_areMultipleCredentials_400() {
        detail(request().header(HEADER, KEY).header("Authorization", "Bearer " + KEY).get("/").then(), 400,
                "Multiple credentials")
                .header("WWW-Authenticate", "Bearer error=\"invalid_request\"");
        detail(request().header(HEADER, "").header("Authorization", "Bearer " + KEY).get("/").then(), 400,
                "Multiple credentials");
    }

    @Test
    void theHeaderTwice_isMultipleCredentials_400() {
        detail(request().header(HEADER, KEY).header(HEADER, KEY).get("/").then(), 400, "Multiple credentials")
                .header("WWW-Authenticate", "Bearer error=\"invalid_request\"");
    }

    @Test
    void twoAuthorizationHeaders_keepTheirOwnAnswer() {
        detail(request().header("Authorization", "Bearer " + KEY).header("Authorization", "Bearer " + KEY)
                .get("/").then(), 400, "Multiple Authorization headers")
                .header("WWW-Authenticate", "Bearer error=\"invalid_request\"");
    }

    @Test
    void bearer_stillWorks_alone() {
        request().header("Authorization", "Bearer " + KEY).get("/").then().statusCode(200);
    }

    @Test
    void scopes_holdForAKeyInTheHeader() {
        detail(request().header(HEADER, READ_KEY).get("/metrics").then(), 403, "Insufficient scope")
                .header("WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=\"metrics\"");
        request().header(HEADER, KEY).get("/metrics").then().statusCode(200);
    }

    @Test
    void multipleCredentials_countAsMultiple() {
        Map<String, String> multiple = Map.of("result", "multiple", "identity", "-");
        double before = scrape().value("apikeyauth_authentications_total", multiple);
        request().header(HEADER, KEY).header(HEADER, KEY).get("/").then().statusCode(400);
        assertEquals(before + 1, scrape().value("apikeyauth_authentications_total", multiple));
    }

    @Test
    void withoutTheVariable_theHeaderIsIgnored() {
        try (RunningApp plain = RunningApp.withTestKey()) {
            given().port(plain.port()).header(HEADER, KEY).get("/").then().statusCode(401)
                    .header("WWW-Authenticate", "Bearer")
                    .body(equalTo("{\"detail\":\"Not authenticated\"}"));
            given().port(plain.port()).header(HEADER, KEY).header("Authorization", "Bearer " + KEY).get("/").then()
                    .statusCode(200);
            JsonNode document = document(plain);
            assertFalse(document.at("/components/securitySchemes").has("apiKeyAuth"));
            assertEquals("[{\"bearerAuth\":[]}]", document.get("security").toString());
        }
    }

    @Test
    void theDocument_offersTheHeaderAsAnAlternative_andStaysValid() throws IOException {
        JsonNode document = document(app);
        JsonNode scheme = document.at("/components/securitySchemes/apiKeyAuth");
        assertEquals("apiKey", scheme.get("type").asText());
        assertEquals("header", scheme.get("in").asText());
        assertEquals(HEADER, scheme.get("name").asText());
        assertEquals("[{\"bearerAuth\":[]},{\"apiKeyAuth\":[]}]", document.get("security").toString());
        assertEquals("[{\"bearerAuth\":[]},{\"apiKeyAuth\":[]}]", document.at("/paths/~1/get/security").toString());
        assertEquals("[{\"bearerAuth\":[\"metrics\"]},{\"apiKeyAuth\":[\"metrics\"]}]",
                document.at("/paths/~1metrics/get/security").toString());
        assertEquals("[]", document.at("/paths/~1health/get/security").toString());
        assertEquals("#/components/responses/MultipleCredentials",
                document.at("/paths/~1/get/responses/400/$ref").asText());
        JsonNode examples = document.at("/components/responses/MultipleCredentials/content/application~1json/examples");
        assertEquals(detail(request().header(HEADER, KEY).header(HEADER, KEY).get("/").then(), 400,
                "Multiple credentials").extract().asString(), examples.at("/multipleCredentials/value").toString());

        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        assertEquals(List.of(), new OpenAPIV3Parser().readContents(document.toString(), null, options).getMessages());
    }

    private static JsonNode document(RunningApp running) {
        try {
            return new ObjectMapper().readTree(given().port(running.port()).get("/openapi.json").then().statusCode(200)
                    .extract().asByteArray());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static PrometheusText scrape() {
        return PrometheusText.parse(request().header("Authorization", "Bearer " + KEY).get("/metrics").then()
                .statusCode(200).extract().asString());
    }
}
