package dev.apikeyauth.http;

import static dev.apikeyauth.testsupport.RunningApp.KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apikeyauth.testsupport.RawHttp;
import dev.apikeyauth.testsupport.RunningApp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Under load only a few requests are in the app at once: the others wait their turn for a second
 * at most and are then answered 503; the health probe never waits (CONTRACT §1, "too busy").
 */
class AdmissionTest {
    static final String HOLD = "GET / HTTP/1.1\r\nHost: t\r\nX-Test: hold\r\nAuthorization: Bearer " + KEY
            + "\r\nConnection: close\r\n\r\n";
    static final String HELLO = "GET / HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + KEY
            + "\r\nX-Request-Id: busy-1\r\nConnection: close\r\n\r\n";
    static final String HEALTH = "GET /health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";

    @Test
    void everyTurnTaken_theProbeIsAnsweredAtOnce_anotherRequestGets503AfterASecond_oneThatGetsATurnIs200()
            throws Exception {
        int turns = Admission.defaultLimit();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger holding = new AtomicInteger();
        ExecutorService clients = Executors.newCachedThreadPool();
        try (RunningApp app = RunningApp.start(RunningApp.services().hello(ctx -> {
            if ("hold".equals(ctx.header("X-Test"))) { // a handler that takes its time, keeping its turn
                holding.incrementAndGet();
                release.await(20, TimeUnit.SECONDS);
            }
            App.HELLO.handle(ctx);
        }))) {
            int port = app.port();
            List<Future<RawHttp.Response>> held = new ArrayList<>();
            for (int i = 0; i < turns; i++) {
                held.add(clients.submit(() -> RawHttp.send(port, HOLD)));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (holding.get() < turns) {
                assertTrue(System.nanoTime() < deadline, holding.get() + " of " + turns + " turns taken");
                Thread.sleep(10);
            }

            long begin = System.nanoTime();
            RawHttp.Response health = RawHttp.send(port, HEALTH);
            long healthMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
            assertEquals(200, health.status());
            assertEquals("{\"status\":\"UP\"}", health.body());
            assertTrue(healthMillis < 900, "the probe waited " + healthMillis + " ms");

            begin = System.nanoTime();
            RawHttp.Response busy = RawHttp.send(port, HELLO);
            long busyMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
            assertEquals(503, busy.status());
            assertEquals("{\"detail\":\"Service Unavailable\"}", busy.body());
            assertEquals("application/json", busy.header("Content-Type"));
            assertEquals("1", busy.header("Retry-After"));
            assertEquals("no-store", busy.header("Cache-Control"));
            assertEquals("nosniff", busy.header("X-Content-Type-Options"));
            assertEquals("busy-1", busy.header("X-Request-Id"));
            assertTrue(busyMillis >= 900 && busyMillis < 5_000, "answered 503 after " + busyMillis + " ms");

            // One that finds a turn within its second is served as usual.
            Future<RawHttp.Response> waiting = clients.submit(() -> RawHttp.send(port, HELLO));
            Thread.sleep(200);
            release.countDown();
            RawHttp.Response served = waiting.get(10, TimeUnit.SECONDS);
            assertEquals(200, served.status());
            assertEquals("{\"message\":\"Hello, World!\"}", served.body());
            for (Future<RawHttp.Response> response : held) {
                assertEquals(200, response.get(10, TimeUnit.SECONDS).status());
            }

            String metrics = RawHttp.send(port, "GET /metrics HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + KEY
                    + "\r\nConnection: close\r\n\r\n").body();
            assertNotNull(metrics);
            assertTrue(metrics.contains("apikeyauth_shed_requests_total 1.0"), metrics);
        } finally {
            release.countDown();
            clients.shutdownNow();
        }
    }

    /**
     * Waiting requests get their turns oldest first. Newest first passed the oldest over under
     * steady full load (64 connections in the container smoke test) until their second ran out, and
     * answered them 503. One holder lets its turn go; the waiters then pass through that one turn.
     */
    @Test
    void waitingRequests_getTheirTurnsInTheOrderTheyCame() throws Exception {
        int turns = Admission.defaultLimit();
        int waiters = 5;
        Map<String, CountDownLatch> holds = new ConcurrentHashMap<>();
        List<String> entered = new CopyOnWriteArrayList<>();
        ExecutorService clients = Executors.newCachedThreadPool();
        try (RunningApp app = RunningApp.start(RunningApp.services().hello(ctx -> {
            String id = ctx.header("X-Request-Id");
            entered.add(id);
            CountDownLatch hold = holds.get(id);
            if (hold != null) {
                hold.await(20, TimeUnit.SECONDS);
            }
            App.HELLO.handle(ctx);
        }))) {
            int port = app.port();
            Admission admission = app.app().jettyServer().server().getDescendant(Admission.class);
            List<Future<RawHttp.Response>> responses = new ArrayList<>();
            for (int i = 0; i < turns; i++) {
                String id = "hold-" + i;
                holds.put(id, new CountDownLatch(1));
                responses.add(clients.submit(() -> RawHttp.send(port, hello(id))));
                int in = i + 1;
                await(() -> entered.size() == in, "holder " + in + " in");
            }
            for (int i = 0; i < waiters; i++) {
                String id = "wait-" + i;
                int waiting = i + 1;
                responses.add(clients.submit(() -> RawHttp.send(port, hello(id))));
                await(() -> admission.waiting() == waiting, waiting + " waiting");
            }

            holds.get("hold-0").countDown();
            for (Future<RawHttp.Response> response : responses.subList(turns, responses.size())) {
                RawHttp.Response served = response.get(10, TimeUnit.SECONDS);
                assertEquals(200, served.status());
                assertEquals("{\"message\":\"Hello, World!\"}", served.body());
            }
            assertEquals(List.of("wait-0", "wait-1", "wait-2", "wait-3", "wait-4"),
                    entered.subList(turns, entered.size()));
            holds.values().forEach(CountDownLatch::countDown); // the other holders, before the app stops
            for (Future<RawHttp.Response> response : responses.subList(0, turns)) {
                assertEquals(200, response.get(10, TimeUnit.SECONDS).status());
            }
        } finally {
            holds.values().forEach(CountDownLatch::countDown);
            clients.shutdownNow();
        }
    }

    private static String hello(String requestId) {
        return "GET / HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + KEY + "\r\nX-Request-Id: " + requestId
                + "\r\nConnection: close\r\n\r\n";
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within 10 s: " + what);
            Thread.sleep(5);
        }
    }
}
