package dev.apikeyauth.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.apikeyauth.keys.ApiKey;
import dev.apikeyauth.keys.KeyDigest;
import dev.apikeyauth.keys.KeySet;
import dev.apikeyauth.keys.Keys;
import dev.apikeyauth.testsupport.PrometheusText;
import dev.apikeyauth.testsupport.RunningApp;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CONTRACT §1 and §2 for keys of the generated form ({@code aka_} + 49 base62): they work beside
 * keys of any other form, and one with a wrong checksum gets the 403 of an unknown key without the
 * keys in force being looked at, counted as {@code invalid}.
 */
class GeneratedKeysTest {
    static final String GENERATED_KEY = Keys.generate();
    static final String OTHER_FORM_KEY = RunningApp.KEY;
    static final AtomicInteger LOOKUPS = new AtomicInteger();
    static RunningApp app;

    @BeforeAll
    static void start() {
        KeySet keys = KeySet.of(List.of(new ApiKey("default", KeyDigest.of(OTHER_FORM_KEY), null),
                new ApiKey("ci", KeyDigest.of(GENERATED_KEY), null)));
        app = RunningApp.start(RunningApp.services().keys(() -> {
            LOOKUPS.incrementAndGet();
            return keys;
        }));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static String damaged(String key) {
        char last = key.charAt(key.length() - 1);
        return key.substring(0, key.length() - 1) + (last == 'a' ? 'b' : 'a');
    }

    @Test
    void aGeneratedKey_andAKeyOfAnotherForm_bothWork() {
        for (String key : List.of(GENERATED_KEY, OTHER_FORM_KEY)) {
            given().port(app.port()).header("Authorization", "Bearer " + key).get("/").then()
                    .statusCode(200)
                    .contentType("application/json")
                    .header("Cache-Control", "no-store")
                    .body(equalTo("{\"message\":\"Hello, World!\"}"));
        }
    }

    @Test
    void aWrongChecksum_gets403LikeAnUnknownKey_unhashed_andCountsAsInvalid() {
        PrometheusText before = scrape();
        int lookups = LOOKUPS.get();
        given().port(app.port()).header("Authorization", "Bearer " + damaged(GENERATED_KEY)).get("/").then()
                .statusCode(403)
                .contentType("application/json")
                .header("WWW-Authenticate", nullValue())
                .body(equalTo("{\"detail\":\"Could not validate credentials\"}"));
        assertEquals(lookups, LOOKUPS.get(), "the keys in force were not looked at");
        PrometheusText after = scrape();
        Map<String, String> invalid = Map.of("result", "invalid", "identity", "-");
        assertEquals(1, after.value("apikeyauth_authentications_total", invalid)
                - before.value("apikeyauth_authentications_total", invalid));
    }

    @Test
    void anUnknownKeyOfTheGeneratedForm_isLookedUp_andGetsTheSame403() {
        int lookups = LOOKUPS.get();
        given().port(app.port()).header("Authorization", "Bearer " + Keys.generate()).get("/").then()
                .statusCode(403)
                .header("WWW-Authenticate", nullValue())
                .body(equalTo("{\"detail\":\"Could not validate credentials\"}"));
        assertEquals(lookups + 1, LOOKUPS.get());
    }

    private static PrometheusText scrape() {
        return PrometheusText.parse(given().port(app.port()).header("Authorization", "Bearer " + GENERATED_KEY)
                .get("/metrics").then().statusCode(200).extract().asString());
    }
}
