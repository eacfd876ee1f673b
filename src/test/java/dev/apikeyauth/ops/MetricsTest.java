package dev.apikeyauth.ops;

import static dev.apikeyauth.testsupport.RunningApp.KEY;
import static dev.apikeyauth.testsupport.RunningApp.WRONG_KEY;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apikeyauth.keys.ApiKey;
import dev.apikeyauth.keys.KeyDigest;
import dev.apikeyauth.keys.KeySet;
import dev.apikeyauth.keys.KeyStore;
import dev.apikeyauth.keys.ReloadingKeyStore;
import dev.apikeyauth.testsupport.PrometheusText;
import dev.apikeyauth.testsupport.RunningApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CONTRACT §5, metrics: the counters move with real requests, and no key ever reaches the output. */
class MetricsTest {
    static final String REQUESTS = "http_server_requests_seconds_count";
    static final String AUTH = "apikeyauth_authentications_total";
    static final String EXPIRED_KEY = "expired-key-0123456789abcdef";

    static String scrape(RunningApp app) {
        return given().port(app.port()).header("Authorization", "Bearer " + KEY).get("/metrics").then()
                .statusCode(200).contentType("text/plain; version=0.0.4; charset=utf-8").extract().asString();
    }

    static Map<String, String> request(String route, String method, int status) {
        return Map.of("route", route, "method", method, "status", Integer.toString(status));
    }

    static Map<String, String> auth(String result, String identity) {
        return Map.of("result", result, "identity", identity);
    }

    @Test
    void loadMeters_readTheirSources_evenAfterAGarbageCollection() {
        Metrics metrics = new Metrics();
        java.util.concurrent.atomic.AtomicLong shed = new java.util.concurrent.atomic.AtomicLong(3);
        metrics.bindLoad(() -> 42, 7_920, shed::get, () -> 5);
        System.gc(); // Micrometer holds what these meters read weakly
        shed.set(4);
        String text = metrics.scrape();
        assertTrue(text.contains("apikeyauth_connections 42.0"), text);
        assertTrue(text.contains("apikeyauth_connections_max 7920.0"), text);
        assertTrue(text.contains("apikeyauth_shed_requests_total 4.0"), text);
        assertTrue(text.contains("apikeyauth_shed_connections_total 5.0"), text);
    }

    @Test
    void requests_200_401_403_moveTheirCounters() {
        try (RunningApp app = RunningApp.withTestKey()) {
            PrometheusText before = PrometheusText.parse(scrape(app));
            for (int i = 0; i < 3; i++) {
                given().port(app.port()).header("Authorization", "Bearer " + KEY).get("/").then().statusCode(200);
            }
            given().port(app.port()).get("/").then().statusCode(401);
            given().port(app.port()).header("Authorization", "Basic x").get("/").then().statusCode(401);
            given().port(app.port()).header("Authorization", "Bearer " + WRONG_KEY).get("/").then().statusCode(403);
            given().port(app.port()).header("Authorization", "Bearer " + WRONG_KEY).get("/metrics").then()
                    .statusCode(403);
            PrometheusText after = PrometheusText.parse(scrape(app));

            assertEquals(3, delta(before, after, REQUESTS, request("/", "GET", 200)));
            assertEquals(2, delta(before, after, REQUESTS, request("/", "GET", 401)));
            assertEquals(1, delta(before, after, REQUESTS, request("/", "GET", 403)));
            assertEquals(1, delta(before, after, REQUESTS, request("/metrics", "GET", 403)));
            // The first scrape itself is counted once it has been answered.
            assertEquals(1, delta(before, after, REQUESTS, request("/metrics", "GET", 200)));
            // 3 greetings + the second scrape, whose key is checked before it reads the meters.
            assertEquals(4, delta(before, after, AUTH, auth("ok", "default")));
            assertEquals(1, delta(before, after, AUTH, auth("missing", "-")));
            assertEquals(1, delta(before, after, AUTH, auth("malformed", "-")));
            assertEquals(2, delta(before, after, AUTH, auth("invalid", "-")));
            assertEquals(3, after.value("http_server_requests_seconds_bucket",
                    Map.of("route", "/", "method", "GET", "status", "200", "le", "+Inf")));
            assertTrue(after.value("http_server_requests_seconds_sum", request("/", "GET", 200)) > 0);
        }
    }

    @Test
    void histogram_hasAModestNumberOfBuckets() {
        try (RunningApp app = RunningApp.withTestKey()) {
            given().port(app.port()).header("Authorization", "Bearer " + KEY).get("/").then().statusCode(200);
            long buckets = PrometheusText.parse(scrape(app)).named("http_server_requests_seconds_bucket").stream()
                    .filter(s -> s.labels().get("route").equals("/") && s.labels().get("status").equals("200"))
                    .count();
            assertEquals(13, buckets, "12 bounds and +Inf");
        }
    }

    @Test
    void expiredAndMultiple_areCountedUnderTheirOwnResults() {
        KeySet keys = KeySet.of(List.of(new ApiKey("default", KeyDigest.of(KEY), null),
                new ApiKey("old-partner", KeyDigest.of(EXPIRED_KEY), Instant.parse("2020-01-01T00:00:00Z"))));
        try (RunningApp app = RunningApp.start(RunningApp.services().keys(KeyStore.fixed(keys)))) {
            given().port(app.port()).header("Authorization", "Bearer " + EXPIRED_KEY).get("/").then().statusCode(403);
            given().port(app.port()).header("Authorization", "Bearer " + KEY).header("Authorization", "Bearer " + KEY)
                    .get("/").then().statusCode(400);
            PrometheusText metrics = PrometheusText.parse(scrape(app));
            assertEquals(1, metrics.value(AUTH, auth("expired", "old-partner")));
            assertEquals(1, metrics.value(AUTH, auth("multiple", "-")));
            assertEquals(1, metrics.value(REQUESTS, request("/", "GET", 400)));
            assertEquals(2, metrics.value("apikeyauth_active_keys", Map.of()));
        }
    }

    @Test
    void keyMeters_existFromStartAtZero_andReloadsAreCounted() {
        Metrics metrics = new Metrics();
        try (RunningApp app = RunningApp.start(RunningApp.services().metrics(metrics))) {
            PrometheusText atStart = PrometheusText.parse(scrape(app));
            assertTrue(atStart.has("apikeyauth_key_reloads_total", Map.of()));
            assertTrue(atStart.has("apikeyauth_key_reload_failures_total", Map.of()));
            assertEquals(0, atStart.value("apikeyauth_key_reloads_total", Map.of()));
            assertEquals(0, atStart.value("apikeyauth_key_reload_failures_total", Map.of()));
            assertEquals(1, atStart.value("apikeyauth_active_keys", Map.of()));
            for (String result : List.of("missing", "malformed", "multiple", "invalid")) {
                assertTrue(atStart.has(AUTH, auth(result, "-")), result);
            }

            metrics.reloaded(RunningApp.keySet());
            metrics.reloaded(RunningApp.keySet());
            metrics.reloadFailed();
            PrometheusText later = PrometheusText.parse(scrape(app));
            assertEquals(2, later.value("apikeyauth_key_reloads_total", Map.of()));
            assertEquals(1, later.value("apikeyauth_key_reload_failures_total", Map.of()));
        }
    }

    @Test
    void keysFileReloadsAndFailures_moveTheirCounters_andTheActiveKeysGauge(@TempDir Path dir) throws Exception {
        String second = "second-key-0123456789abcdef";
        Path file = Files.writeString(dir.resolve("keys.txt"), line("first", KEY));
        Metrics metrics = new Metrics();
        try (ReloadingKeyStore store = ReloadingKeyStore.open(file, List.of(), metrics, Duration.ofMillis(10),
                Duration.ofMillis(50));
             RunningApp app = RunningApp.start(RunningApp.services().keys(store).metrics(metrics))) {
            assertEquals(1, PrometheusText.parse(scrape(app)).value("apikeyauth_active_keys", Map.of()));

            Files.writeString(file, line("first", KEY) + line("second", second));
            PrometheusText reloaded = awaitMetric(app, "apikeyauth_key_reloads_total", 1);
            assertEquals(2, reloaded.value("apikeyauth_active_keys", Map.of()));
            assertEquals(0, reloaded.value("apikeyauth_key_reload_failures_total", Map.of()));

            Files.writeString(file, "first not-a-digest\n");
            PrometheusText failed = awaitMetric(app, "apikeyauth_key_reload_failures_total", 1);
            assertEquals(1, failed.value("apikeyauth_key_reloads_total", Map.of()));
            assertEquals(2, failed.value("apikeyauth_active_keys", Map.of()), "the last good keys stay in force");
        }
    }

    private static String line(String id, String key) {
        return id + " " + KeyDigest.of(key).format() + "\n";
    }

    /**
     * Scrapes until {@code name} reaches {@code value}, for at most the contract's 10 s of a reload,
     * then returns a scrape taken after that one. A scrape is no snapshot: it reads the active-keys
     * gauge before the reload counters, so a reload that lands in between shows as counted with the
     * old gauge. The store puts a set in force before it counts it, so a scrape begun after the
     * count was seen shows the set.
     */
    private static PrometheusText awaitMetric(RunningApp app, String name, double value) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            if (PrometheusText.parse(scrape(app)).value(name, Map.of()) >= value) {
                return PrometheusText.parse(scrape(app));
            }
            assertTrue(System.nanoTime() < deadline, name + " did not reach " + value + " within 10 s");
            Thread.sleep(20);
        }
    }

    @Test
    void jvmAndProcessBasics_areThere() {
        try (RunningApp app = RunningApp.withTestKey()) {
            PrometheusText metrics = PrometheusText.parse(scrape(app));
            for (String name : List.of("jvm_memory_used_bytes", "jvm_gc_memory_allocated_bytes_total",
                    "jvm_threads_live_threads", "jvm_classes_loaded_classes", "process_cpu_usage",
                    "system_cpu_count", "process_uptime_seconds", "process_start_time_seconds")) {
                assertFalse(metrics.named(name).isEmpty(), name);
            }
        }
    }

    @Test
    void output_neverContainsTheKeyNorItsDigest() {
        String hex = KeyDigest.of(KEY).format().substring("sha256:".length());
        try (RunningApp app = RunningApp.withTestKey()) {
            given().port(app.port()).header("Authorization", "Bearer " + KEY).get("/").then().statusCode(200);
            given().port(app.port()).header("Authorization", "Bearer " + KEY + "x").get("/").then().statusCode(403);
            given().port(app.port()).header("Authorization", "Basic " + KEY).get("/").then().statusCode(401);
            given().port(app.port()).header("Authorization", "Bearer " + KEY).get("/" + KEY).then().statusCode(404);
            given().port(app.port()).header("Authorization", "Bearer " + KEY).queryParam("k", KEY).get("/")
                    .then().statusCode(200);
            String output = scrape(app);
            assertFalse(output.contains(KEY), "key in /metrics");
            assertFalse(output.contains(hex), "digest in /metrics");
            assertTrue(output.contains("route=\"unmatched\""), "the path with the key counts as unmatched");
        }
    }

    private static double delta(PrometheusText before, PrometheusText after, String name, Map<String, String> labels) {
        return after.value(name, labels) - before.value(name, labels);
    }
}
