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
