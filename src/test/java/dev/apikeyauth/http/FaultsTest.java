package dev.apikeyauth.http;

import static dev.apikeyauth.testsupport.RunningApp.KEY;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import dev.apikeyauth.keys.KeyStore;
import dev.apikeyauth.testsupport.RunningApp;
import org.junit.jupiter.api.Test;

/** The 500 row: an unexpected fault answers the contract's body, never a trace or a message. */
class FaultsTest {

    @Test
    void keyStoreThatThrows_gives500WithoutDetails() {
        KeyStore broken = () -> {
            throw new IllegalStateException("disk on fire at /secret/path");
        };
        try (RunningApp app = RunningApp.start(RunningApp.services().keys(broken))) {
            given().port(app.port()).header("Authorization", "Bearer " + KEY).get("/").then()
                    .statusCode(500)
                    .contentType("application/json")
                    .header("X-Content-Type-Options", "nosniff")
                    .header("X-Request-Id", matchesPattern("[0-9a-f]{32}"))
                    .body(equalTo("{\"detail\":\"Internal Server Error\"}"))
                    .body(not(containsString("fire")));
        }
    }

    @Test
    void handlerThatThrowsAnError_gives500WithoutDetails() {
        try (RunningApp app = RunningApp.start(RunningApp.services().hello(ctx -> {
            throw new StackOverflowError("deep");
        }))) {
            given().port(app.port()).header("Authorization", "Bearer " + KEY).get("/").then()
                    .statusCode(500)
                    .contentType("application/json")
                    .body(equalTo("{\"detail\":\"Internal Server Error\"}"));
        }
    }

    @Test
    void publicRoute_isServedEvenWhenKeysAreBroken() {
        KeyStore broken = () -> {
            throw new IllegalStateException("broken");
        };
        try (RunningApp app = RunningApp.start(RunningApp.services().keys(broken))) {
            given().port(app.port()).get("/health").then().statusCode(200).body(equalTo("{\"status\":\"UP\"}"));
        }
    }
}
