package dev.apikeyauth.http;

import static dev.apikeyauth.testsupport.RunningApp.KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apikeyauth.testsupport.RawHttp;
import dev.apikeyauth.testsupport.RunningApp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The connection cap: how it is derived from the heap, and what happens at it. New connections wait
 * (costing the heap nothing); the connections held that are not being served are closed after a
 * second (idle ones, and slowloris ones still sending a head); each answer closes its connection.
 */
class ConnectionCapTest {
    static final int CAP = 8;
    static final String HEALTH = "GET /health HTTP/1.1\r\nHost: t\r\n\r\n";
    static final long MIB = 1024 * 1024;

    @Test
    void derivedCap_is45PercentOfTheHeap_at6KiBAConnection_atLeast64() {
        // 148 MiB (a 256 MiB container at 60 %, less a survivor space) holds 11,366.
        assertEquals(11_366, ConnectionCap.defaultMax(148 * MIB));
        assertEquals(9_830, ConnectionCap.defaultMax(128 * MIB));
        assertEquals(58_982, ConnectionCap.defaultMax(768 * MIB));
        assertEquals(64, ConnectionCap.defaultMax(MIB / 2));
        assertEquals(64, ConnectionCap.defaultMax(0));
        // An eighth of the heap for the heads of requests still arriving.
        assertEquals(16 * MIB, ConnectionCap.headsBudget(128 * MIB));
    }

    @Test
    void atTheCap_aNewConnectionWaits_untilIdleOnesAreClosed_andItsAnswerClosesIt() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (RunningApp app = RunningApp.start(RunningApp.services().maxConnections(CAP))) {
            int port = app.port();
            RawHttp.Response below = RawHttp.send(port, HEALTH);
            assertEquals(200, below.status());
            assertNull(below.header("Connection"), "below the cap a connection is kept");
            for (int i = 0; i < CAP; i++) {
                held.add(new Socket("127.0.0.1", port)); // connect and say nothing
            }
            try (Socket waiting = new Socket("127.0.0.1", port)) { // the kernel takes it; Jetty doesn't yet
                waiting.getOutputStream().write(HEALTH.getBytes(StandardCharsets.US_ASCII));
                waiting.setSoTimeout(300);
                InputStream in = waiting.getInputStream();
                assertThrows(SocketTimeoutException.class, in::read, "answered at the cap before anything closed");

                waiting.setSoTimeout(5_000);
                long begin = System.nanoTime();
                RawHttp.Response answer = RawHttp.read(in);
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
                assertEquals(200, answer.status());
                assertEquals("{\"status\":\"UP\"}", answer.body());
                assertEquals("close", answer.header("Connection"), "at the cap each answer frees its place");
                assertTrue(millis < 3_000, "answered " + millis + " ms after the cap was reached");
            }
            assertTrue(closedByTheService(held) > 0, "no idle connection was closed");
            String metrics = RawHttp.send(port, "GET /metrics HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + KEY
                    + "\r\nConnection: close\r\n\r\n").body();
            assertTrue(metrics.contains("apikeyauth_connections_max 8.0"), metrics);
            assertTrue(metrics.matches("(?s).*apikeyauth_shed_connections_total [1-9][0-9]*\\.0.*"), metrics);
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    @Test
    void atTheCap_connectionsStillSendingTheirHeadAfterASecond_areClosed() throws Exception {
        List<Socket> held = new ArrayList<>();
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try (RunningApp app = RunningApp.start(RunningApp.services().maxConnections(CAP))) {
            int port = app.port();
            for (int i = 0; i < CAP; i++) {
                Socket socket = new Socket("127.0.0.1", port);
                socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: t\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
                held.add(socket);
            }
            // A byte every 200 ms: never idle long enough for any idle timeout.
            trickle.scheduleAtFixedRate(() -> {
                for (Socket socket : held) {
                    try {
                        OutputStream out = socket.getOutputStream();
                        out.write('a');
                        out.flush();
                    } catch (IOException closedByTheService) {
                        // expected, sooner or later
                    }
                }
            }, 0, 200, TimeUnit.MILLISECONDS);
            try (Socket waiting = new Socket("127.0.0.1", port)) {
                waiting.getOutputStream().write(("GET / HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + KEY
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                waiting.setSoTimeout(5_000);
                RawHttp.Response answer = RawHttp.read(waiting.getInputStream());
                assertEquals(200, answer.status());
                assertEquals("{\"message\":\"Hello, World!\"}", answer.body());
            }
            assertTrue(closedByTheService(held) > 0, "no slow connection was closed");
        } finally {
            trickle.shutdownNow();
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    /** How many of {@code sockets} the service has closed (their reads end), waiting up to 3 s for them. */
    static int closedByTheService(List<Socket> sockets) throws IOException {
        int closed = 0;
        for (Socket socket : sockets) {
            socket.setSoTimeout(3_000);
            try {
                InputStream in = socket.getInputStream();
                while (in.read() != -1) {
                    // a 408 or the like may come first
                }
                closed++;
            } catch (SocketTimeoutException stillOpen) {
                // not closed
            } catch (IOException reset) {
                closed++;
            }
        }
        return closed;
    }
}
