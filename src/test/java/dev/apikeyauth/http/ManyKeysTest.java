package dev.apikeyauth.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apikeyauth.auth.Outcome;
import dev.apikeyauth.keys.ApiKey;
import dev.apikeyauth.keys.KeyDigest;
import dev.apikeyauth.keys.ReloadListener;
import dev.apikeyauth.keys.ReloadingKeyStore;
import dev.apikeyauth.testsupport.RunningApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several keys over HTTP: identities, expiry, and reloads under traffic. */
class ManyKeysTest {
    static final String ENV_KEY = "many-keys-env-key-0123456789";
    static final String CI_KEY = "many-keys-ci-key-0123456789";
    static final String PARTNER_KEY = "many-keys-partner-key-0123456";
    static final Instant EXPIRY = Instant.parse("2027-03-01T00:00:00Z");

    @TempDir
    Path dir;

    static String line(String id, String key, String extra) {
        return id + " " + KeyDigest.of(key).format() + extra + "\n";
    }

    /** A clock the test moves by hand. */
    static final class MovableClock extends Clock {
        final AtomicReference<Instant> now;

        MovableClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    @Test
    void envKeyAndFileKeys_areTheUnion_withIdentitiesForHandlers_andExpiryAtTheInstant() throws Exception {
        Path file = Files.writeString(dir.resolve("keys.txt"), line("ci-runner", CI_KEY, "")
                + line("partner-a", PARTNER_KEY, " expires=" + EXPIRY));
        ApiKey env = new ApiKey("default", KeyDigest.of(ENV_KEY), null);
        MovableClock clock = new MovableClock(EXPIRY.minusSeconds(1));
        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        try (ReloadingKeyStore store = ReloadingKeyStore.open(file, List.of(env), ReloadListener.NONE,
                Duration.ofSeconds(1), Duration.ofMillis(50));
             RunningApp app = RunningApp.start(App.Services.builder(store).clock(clock)
                     .authListener(result -> outcomes.add(result.outcome()))
                     .hello(ctx -> ctx.result("identity=" + Caller.identity(ctx).orElse("?"))))) {
            int port = app.port();
            given().port(port).header("Authorization", "Bearer " + ENV_KEY).get("/").then()
                    .statusCode(200).body(equalTo("identity=default"));
            given().port(port).header("Authorization", "Bearer " + CI_KEY).get("/").then()
                    .statusCode(200).body(equalTo("identity=ci-runner"));
            given().port(port).header("Authorization", "Bearer " + PARTNER_KEY).get("/").then()
                    .statusCode(200).body(equalTo("identity=partner-a"));

            clock.now.set(EXPIRY);
            given().port(port).header("Authorization", "Bearer " + PARTNER_KEY).get("/").then()
                    .statusCode(403)
                    .header("WWW-Authenticate", nullValue())
                    .body(equalTo("{\"detail\":\"Could not validate credentials\"}"));
            given().port(port).header("Authorization", "Bearer " + PARTNER_KEY + "x").get("/").then()
                    .statusCode(403)
                    .body(equalTo("{\"detail\":\"Could not validate credentials\"}"));
            given().port(port).header("Authorization", "Bearer " + CI_KEY).get("/").then().statusCode(200);
        }
        assertEquals(List.of(Outcome.OK, Outcome.OK, Outcome.OK, Outcome.EXPIRED, Outcome.INVALID, Outcome.OK),
                new ArrayList<>(outcomes));
    }

    @Test
    void removedKey_isRefusedAfterReload_withTheSameAnswerAsUnknown() throws Exception {
        Path file = Files.writeString(dir.resolve("keys.txt"), line("ci-runner", CI_KEY, "")
                + line("partner-a", PARTNER_KEY, ""));
        try (ReloadingKeyStore store = ReloadingKeyStore.open(file, List.of(), ReloadListener.NONE,
                Duration.ofMillis(20), Duration.ofMillis(50));
             RunningApp app = RunningApp.start(App.Services.of(store))) {
            given().port(app.port()).header("Authorization", "Bearer " + PARTNER_KEY).get("/").then().statusCode(200);
            Files.writeString(file, line("ci-runner", CI_KEY, ""));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (given().port(app.port()).header("Authorization", "Bearer " + PARTNER_KEY).get("/").statusCode() == 200) {
                assertTrue(System.nanoTime() < deadline, "removed key still accepted after 10 s");
                Thread.sleep(10);
            }
            given().port(app.port()).header("Authorization", "Bearer " + PARTNER_KEY).get("/").then()
                    .statusCode(403).body(equalTo("{\"detail\":\"Could not validate credentials\"}"));
        }
    }

    @Test
    void hammering_whileTheFileIsSwappedRepeatedly_neverFailsAKeyInBothVersions() throws Exception {
        String stay = "key-present-in-both-versions-01";
        String onlyA = "key-only-in-version-a-0123456";
        String onlyB = "key-only-in-version-b-0123456";
        String versionA = "# version A\n" + line("stay", stay, "") + line("a", onlyA, "");
        String versionB = line("b", onlyB, "") + "# version B\n" + line("stay", stay, "");
        Path file = Files.writeString(dir.resolve("keys.txt"), versionA);
        int threads = 4;
        AtomicInteger failedReloads = new AtomicInteger();
        AtomicInteger reloads = new AtomicInteger();
        ReloadListener counting = new ReloadListener() {
            @Override
            public void reloaded(dev.apikeyauth.keys.KeySet keys) {
                reloads.incrementAndGet();
            }

            @Override
            public void reloadFailed() {
                failedReloads.incrementAndGet();
            }
        };
        try (ReloadingKeyStore store = ReloadingKeyStore.open(file, List.of(), counting,
                Duration.ofMillis(10), Duration.ofMillis(60));
             RunningApp app = RunningApp.start(App.Services.of(store))) {
            HttpClient client = HttpClient.newBuilder().build();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/"))
                    .header("Authorization", "Bearer " + stay).build();
            AtomicBoolean running = new AtomicBoolean(true);
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            CountDownLatch started = new CountDownLatch(threads);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<Integer>> counts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                counts.add(pool.submit(() -> {
                    started.countDown();
                    int sent = 0;
                    while (running.get()) {
                        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                        sent++;
                        if (response.statusCode() != 200) {
                            failures.add(response.statusCode() + " " + response.body());
                        }
                    }
                    return sent;
                }));
            }
            assertTrue(started.await(10, TimeUnit.SECONDS));
            int swaps = 24;
            for (int i = 0; i < swaps; i++) {
                int before = reloads.get();
                String next = i % 2 == 0 ? versionB : versionA;
                if (i % 3 == 0) {
                    Files.writeString(file, next); // in place: truncate, then write
                } else {
                    Path tmp = Files.writeString(dir.resolve("keys.tmp"), next);
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
                // Wait for this version to be in force before writing the next (polled, bounded).
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (reloads.get() == before) {
                    assertTrue(System.nanoTime() < deadline, "swap " + i + " not reloaded within 10 s");
                    Thread.sleep(2);
                }
            }
            running.set(false);
            int total = 0;
            for (Future<Integer> count : counts) {
                total += count.get(30, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertTrue(failures.isEmpty(), failures.size() + " failures of " + total + ", e.g. " + failures.peek());
            assertTrue(total > threads * 10, "too few requests to mean anything: " + total);
            assertEquals(swaps, reloads.get());
            assertEquals(0, failedReloads.get());
        }
    }
}
