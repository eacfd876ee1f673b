package dev.apikeyauth.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.apikeyauth.auth.Outcome;
import dev.apikeyauth.keys.ApiKey;
import dev.apikeyauth.keys.KeyDigest;
import dev.apikeyauth.keys.KeySet;
import dev.apikeyauth.keys.KeyStore;
import dev.apikeyauth.testsupport.RunningApp;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** An expired key gets the answer of an unknown one, and is told apart only in the metrics and log. */
class ExpiredKeyTest {
    static final String EXPIRED = "expired-key-0123456789abcdef";

    @Test
    void expiredKey_gets403LikeAnUnknownKey_andIsCountedAsExpiredWithItsIdentity() {
        List<String> outcomes = new CopyOnWriteArrayList<>();
        KeySet keys = KeySet.of(List.of(
                new ApiKey("default", KeyDigest.of(RunningApp.KEY), null),
                new ApiKey("old", KeyDigest.of(EXPIRED), Instant.now().minusSeconds(1))));
        try (RunningApp app = RunningApp.start(RunningApp.services().keys(KeyStore.fixed(keys))
                .authListener(result -> outcomes.add(result.outcome() + " " + result.identity())))) {
            given().port(app.port()).header("Authorization", "Bearer " + EXPIRED).get("/").then()
                    .statusCode(403)
                    .contentType("application/json")
                    .header("WWW-Authenticate", nullValue())
                    .header("X-Content-Type-Options", "nosniff")
                    .body(equalTo("{\"detail\":\"Could not validate credentials\"}"));
            given().port(app.port()).header("Authorization", "Bearer " + RunningApp.KEY).get("/").then()
                    .statusCode(200).body(equalTo("{\"message\":\"Hello, World!\"}"));
            assertEquals(List.of(Outcome.EXPIRED + " old", Outcome.OK + " default"), outcomes);
        }
    }
}
