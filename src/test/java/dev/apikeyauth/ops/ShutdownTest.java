package dev.apikeyauth.ops;

import static dev.apikeyauth.testsupport.RunningApp.KEY;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apikeyauth.testsupport.RunningApp;
import io.restassured.response.Response;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Drain-on-stop: a request in flight when shutdown begins still gets its whole answer. */
class ShutdownTest {

    @Test
    void inFlightRequest_completes_whileNewConnectionsAreRefused() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Health health = new Health();
        RunningApp app = RunningApp.start(RunningApp.services()
                .health(health)
                .shutdownTimeout(Duration.ofSeconds(20))
                .hello(ctx -> {
                    entered.countDown();
                    assertTrue(release.await(20, TimeUnit.SECONDS));
                    ctx.status(200).contentType("application/json").result("{\"message\":\"slow\"}");
                }));
        int port = app.port();
        assertEquals(200, given().port(port).get("/health").statusCode());

        // Own threads, not the common pool: on 2 cores its parallelism is 1, and on JDK 25
        // CompletableFuture runs async tasks there, so stop would wait behind the request.
        ExecutorService threads = Executors.newFixedThreadPool(2);
        CompletableFuture<Response> inFlight = CompletableFuture.supplyAsync(
                () -> given().port(port).header("Authorization", "Bearer " + KEY).get("/"), threads);
        assertTrue(entered.await(20, TimeUnit.SECONDS), "the slow request never reached its handler");

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> Shutdown.drain(app.app(), health), threads);
        pollUntilRefused(port);
        assertFalse(health.isUp(), "health is down before the listener closes");
        assertFalse(stopping.isDone(), "stop must wait for the request in flight");

        release.countDown();
        Response response = inFlight.get(20, TimeUnit.SECONDS);
        assertEquals(200, response.statusCode());
        assertEquals("{\"message\":\"slow\"}", response.asString());
        stopping.get(20, TimeUnit.SECONDS);
        threads.shutdown();
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
    }

    @Test
    void idleKeepAliveConnections_doNotHoldTheDrain() throws Exception {
        RunningApp app = RunningApp.start(RunningApp.services().shutdownTimeout(Duration.ofSeconds(20)));
        int port = app.port();
        // REST Assured keeps its connection open after the answer: an idle keep-alive connection.
        given().port(port).header("Authorization", "Bearer " + KEY).get("/").then().statusCode(200);
        long begin = System.nanoTime();
        app.close();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        // It took the whole 20 s timeout when idle connections were closed only at its end;
        // now 0.1 s after the stop begins. 10 s leaves a wide margin for a slow machine.
        assertTrue(millis < 10_000, "the stop took " + millis + " ms with one idle connection");
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
    }

    @Test
    void aRequestInFlight_keepsItsConnection_pastTheShutdownIdleTimeout() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        RunningApp app = RunningApp.start(RunningApp.services().shutdownTimeout(Duration.ofSeconds(20))
                .hello(ctx -> {
                    entered.countDown();
                    Thread.sleep(1000); // ten times the shutdown idle timeout, doing no I/O
                    ctx.status(200).contentType("application/json").result("{\"message\":\"slow\"}");
                }));
        int port = app.port();
        ExecutorService threads = Executors.newFixedThreadPool(1);
        CompletableFuture<Response> inFlight = CompletableFuture.supplyAsync(
                () -> given().port(port).header("Authorization", "Bearer " + KEY).get("/"), threads);
        assertTrue(entered.await(20, TimeUnit.SECONDS), "the slow request never reached its handler");
        app.close();
        Response response = inFlight.get(20, TimeUnit.SECONDS);
        threads.shutdown();
        assertEquals(200, response.statusCode());
        assertEquals("{\"message\":\"slow\"}", response.asString());
    }

    @Test
    void health_turns503_onceShutdownHasBegun() {
        Health health = new Health();
        try (RunningApp app = RunningApp.start(RunningApp.services().health(health))) {
            given().port(app.port()).get("/health").then().statusCode(200);
            health.markDown();
            given().port(app.port()).get("/health").then().statusCode(503)
                    .contentType("application/json")
                    .body(org.hamcrest.Matchers.equalTo("{\"status\":\"DOWN\"}"));
        }
    }

    /** Polls (no fixed sleep) until the listener is closed, for at most 20 s. */
    private static void pollUntilRefused(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try {
                new Socket("127.0.0.1", port).close();
            } catch (java.io.IOException refused) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the server kept accepting connections after stop began");
    }
}
