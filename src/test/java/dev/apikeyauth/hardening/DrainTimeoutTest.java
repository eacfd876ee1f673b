package dev.apikeyauth.hardening;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apikeyauth.ops.Health;
import dev.apikeyauth.ops.Shutdown;
import dev.apikeyauth.testsupport.RunningApp;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A client that never finishes its request can delay stop only up to the shutdown timeout. */
class DrainTimeoutTest {

    @Test
    void halfSentRequest_delaysStopOnlyUntilTheTimeout_andStopStillCompletes() throws Exception {
        Health health = new Health();
        RunningApp app = RunningApp.start(RunningApp.services().health(health)
                .shutdownTimeout(Duration.ofMillis(500)));
        int port = app.port();
        try (Socket stuck = new Socket("127.0.0.1", port)) {
            stuck.getOutputStream().write("GET / HTTP/1.1\r\nHost: t\r\nX-Never: ".getBytes(StandardCharsets.US_ASCII));
            long begin = System.nanoTime();
            Shutdown.drain(app.app(), health); // must not throw
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
            assertFalse(health.isUp());
            assertTrue(millis < 5_000, "stop took " + millis + " ms with a 500 ms timeout");
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
