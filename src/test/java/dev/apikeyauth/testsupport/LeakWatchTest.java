package dev.apikeyauth.testsupport;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The watch itself can fail: it finds a class's keys and catches one in a log or a response. */
class LeakWatchTest {
    static final String PLANTED_KEY = "planted-key-0123456789abcdef";

    @Test
    void knownKeys_areRunningAppKey_andTheClassesKeyConstants() {
        assertEquals(Set.of(RunningApp.KEY, PLANTED_KEY), LeakWatch.knownKeys(LeakWatchTest.class));
    }

    @Test
    void aKeySentInTheKeyHeaderOrAuthorization_isWatched_thoughNoConstantNamesIt() {
        String made = dev.apikeyauth.keys.Keys.generate();
        String other = dev.apikeyauth.keys.Keys.generate();
        try (RunningApp app = RunningApp.start(RunningApp.services().keyHeader(LeakWatch.KEY_HEADER))) {
            given().port(app.port()).header(LeakWatch.KEY_HEADER, "  " + made + " ").get("/").then().statusCode(403);
            given().port(app.port()).header("Authorization", "Bearer " + other).get("/").then().statusCode(403);
        }
        assertTrue(LeakWatch.sent().containsAll(Set.of(made, other)), LeakWatch.sent().toString());
        org.slf4j.LoggerFactory.getLogger("leak-test").warn("oops: {}", made);
        Set<String> watched = new java.util.HashSet<>(LeakWatch.sent());
        AssertionError leak = assertThrows(AssertionError.class, () -> LeakWatch.check(watched));
        assertTrue(leak.getMessage().startsWith("a key leaked into a log line: "), leak.getMessage());
        LeakWatch.reset();
    }

    @Test
    void aKeyInALogLine_isCaught() {
        org.slf4j.LoggerFactory.getLogger("leak-test").warn("oops: {}", PLANTED_KEY);
        AssertionError leak = assertThrows(AssertionError.class, () -> LeakWatch.check(Set.of(PLANTED_KEY)));
        assertTrue(leak.getMessage().startsWith("a key leaked into a log line: "), leak.getMessage());
        assertTrue(leak.getMessage().contains("<KEY>"));
        LeakWatch.reset(); // forget the planted line so this class's own watch passes
    }

    @Test
    void aKeyInAResponse_isCaught() {
        try (RunningApp app = RunningApp.start(RunningApp.services().hello(ctx -> ctx.result(PLANTED_KEY)))) {
            given().port(app.port()).header("Authorization", "Bearer " + RunningApp.KEY).get("/").then().statusCode(200);
        }
        AssertionError leak = assertThrows(AssertionError.class, () -> LeakWatch.check(Set.of(PLANTED_KEY)));
        assertTrue(leak.getMessage().startsWith("a key leaked into a response or metric: "), leak.getMessage());
        LeakWatch.reset();
    }

    @Test
    void aKeyInAMetric_isCaught() {
        LeakWatch.record("metrics", "apikeyauth_authentications_total{identity=\"" + PLANTED_KEY + "\"} 1.0");
        AssertionError leak = assertThrows(AssertionError.class, () -> LeakWatch.check(Set.of(PLANTED_KEY)));
        assertTrue(leak.getMessage().contains("metrics:"), leak.getMessage());
        LeakWatch.reset();
    }
}
