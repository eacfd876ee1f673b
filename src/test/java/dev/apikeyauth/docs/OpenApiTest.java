package dev.apikeyauth.docs;

import static dev.apikeyauth.testsupport.RunningApp.KEY;
import static dev.apikeyauth.testsupport.RunningApp.WRONG_KEY;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikeyauth.keys.ApiKey;
import dev.apikeyauth.keys.KeyDigest;
import dev.apikeyauth.keys.KeySet;
import dev.apikeyauth.keys.KeyStore;
import dev.apikeyauth.keys.Scopes;
import dev.apikeyauth.testsupport.RunningApp;
import io.restassured.response.Response;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /openapi.json}: a valid OpenAPI 3.1 document whose examples are what the service answers. */
class OpenApiTest {
    static final String READ_KEY = "openapi-test-read-key-0123456789";
    static RunningApp app;
    static String json;
    static JsonNode document;

    @BeforeAll
    static void start() throws Exception {
        app = RunningApp.withTestKey();
        json = given().port(app.port()).get("/openapi.json").then().statusCode(200).extract().asString();
        document = new ObjectMapper().readTree(json);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void document_validatesWithSwaggerParser_withoutAnyMessage() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(json, null, options);
        assertEquals(List.of(), result.getMessages());
        OpenAPI openApi = result.getOpenAPI();
        assertNotNull(openApi);
        assertEquals(SpecVersion.V31, openApi.getSpecVersion());
        assertEquals("3.1.0", openApi.getOpenapi());
        assertEquals("http", openApi.getComponents().getSecuritySchemes().get("bearerAuth").getType().toString());
        assertEquals("bearer", openApi.getComponents().getSecuritySchemes().get("bearerAuth").getScheme());
        assertEquals(List.of(), openApi.getPaths().get("/health").getGet().getSecurity());
    }

    @Test
    void document_namesThisBuildsVersion() {
        String version = document.at("/info/version").asText();
        assertTrue(version.matches("\\d+\\.\\d+\\.\\d+.*"), version);
    }

    @Test
    void greetingExample_isWhatGetReturns() {
        assertEquals(document.at("/paths/~1/get/responses/200/content/application~1json/example").toString(),
                given().port(app.port()).header("Authorization", "Bearer " + KEY).get("/").asString());
    }

    @Test
    void documentedRefusals_areWhatTheServiceAnswers() {
        assertRefusal("NotAuthenticated", given().port(app.port()).get("/"), 401, "WWW-Authenticate");
        assertRefusal("NotAuthenticated", given().port(app.port()).header("Authorization", "Basic x").get("/metrics"),
                401, "WWW-Authenticate");
        assertRefusal("InvalidCredentials",
                given().port(app.port()).header("Authorization", "Bearer " + WRONG_KEY).get("/"), 403, null);
        assertRefusal("MultipleAuthorization", given().port(app.port()).header("Authorization", "Bearer " + KEY)
                .header("Authorization", "Bearer " + KEY).get("/"), 400, "WWW-Authenticate");
        assertRefusal("NotFound",
                given().port(app.port()).header("Authorization", "Bearer " + KEY).get("/docs/nope.js"), 404, null);
        assertRefusal("MethodNotAllowed",
                given().port(app.port()).header("Authorization", "Bearer " + KEY).post("/"), 405, "Allow");
    }

    @Test
    void metricsSecurity_namesItsScope_andIts403_isWhatTheServiceAnswers() {
        assertEquals("[{\"bearerAuth\":[\"metrics\"]}]", document.at("/paths/~1metrics/get/security").toString());
        assertEquals("[{\"bearerAuth\":[]}]", document.at("/paths/~1/get/security").toString());
        JsonNode forbidden = document.at("/paths/~1metrics/get/responses/403");
        JsonNode examples = forbidden.at("/content/application~1json/examples");
        try (RunningApp scoped = RunningApp.start(RunningApp.services().keys(KeyStore.fixed(KeySet.of(List.of(
                new ApiKey("reader", KeyDigest.of(READ_KEY), null, Scopes.parse("read")))))))) {
            Response insufficient = given().port(scoped.port()).header("Authorization", "Bearer " + READ_KEY)
                    .get("/metrics");
            assertEquals(403, insufficient.statusCode());
            assertEquals(examples.at("/insufficientScope/value").toString(), insufficient.asString());
            assertEquals(forbidden.at("/headers/WWW-Authenticate/schema/const").asText(),
                    insufficient.header("WWW-Authenticate"));
            Response invalid = given().port(scoped.port()).header("Authorization", "Bearer " + WRONG_KEY)
                    .get("/metrics");
            assertEquals(403, invalid.statusCode());
            assertEquals(examples.at("/invalidCredentials/value").toString(), invalid.asString());
            assertEquals(null, invalid.header("WWW-Authenticate"));
        }
    }

    /** The answer has the status, the body of the component's example and its documented header. */
    private static void assertRefusal(String name, Response response, int status, String header) {
        JsonNode documented = document.at("/components/responses/" + name);
        assertEquals(status, response.statusCode(), name);
        assertEquals(documented.at("/content/application~1json/example").toString(), response.asString(), name);
        if (header != null) {
            JsonNode schema = documented.at("/headers/" + header + "/schema");
            String expected = schema.has("const") ? schema.get("const").asText() : schema.at("/examples/0").asText();
            assertEquals(expected, response.header(header), name);
        }
    }
}
