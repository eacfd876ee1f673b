package dev.apikeyauth.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.apikeyauth.testsupport.LogCapture;
import dev.apikeyauth.testsupport.RunningApp;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Slow readers: clients that ask for the largest public file and never read the answer hold a
 * connection and its bytes, never a thread, so everyone else is still answered promptly; and a
 * stalled download is cut off after the write timeout and logged as such.
 */
class SlowReadersTest {
    static final int READERS = 200;
    /** Requests pipelined on each reader: several megabytes waiting, more than any socket buffer takes. */
    static final int PIPELINED = 4;
    static final String BUNDLE = "/docs/swagger-ui-bundle.js";

    static HttpResponse<String> get(HttpClient client, int port, String path, boolean withKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5));
        if (withKey) {
            request.header("Authorization", "Bearer " + RunningApp.KEY);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A socket that asks for the bundle {@code PIPELINED} times (uncompressed) and never reads. */
    static Socket nonReader(int port) throws Exception {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(1024); // before connect, so the window stays small
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        OutputStream out = socket.getOutputStream();
        String request = "GET " + BUNDLE + " HTTP/1.1\r\nHost: t\r\n\r\n";
        out.write(request.repeat(PIPELINED).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    @Test
    void twoHundredReadersThatNeverRead_leaveHealthTheDocumentAndAnAuthorisedCallAnsweringWithinOneSecond()
            throws Exception {
        List<Socket> held = new ArrayList<>();
        RunningApp app = RunningApp.withTestKey();
        try {
            int port = app.port();
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int i = 0; i < 10; i++) { // warm up: builds the document, reads the bundle once
                assertEquals(200, get(client, port, "/", true).statusCode());
                assertEquals(200, get(client, port, "/openapi.json", false).statusCode());
                assertEquals(200, get(client, port, "/health", false).statusCode());
                assertEquals(200, get(client, port, BUNDLE, false).statusCode());
            }
            for (int i = 0; i < READERS; i++) {
                held.add(nonReader(port));
            }
            // The bar is the 1 s; an idle machine answers in a few ms, which leaves two
            // orders of magnitude of margin for a noisy 2-core box. (Before the non-blocking
            // writer, 16 such readers took every thread and /health took 27 s.)
            for (int round = 0; round < 5; round++) {
                for (String path : List.of("/health", "/openapi.json", "/")) {
                    long begin = System.nanoTime();
                    HttpResponse<String> response = get(client, port, path, path.equals("/"));
                    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
                    assertEquals(200, response.statusCode(), path);
                    assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(""), path);
                    if (path.equals("/")) {
                        assertEquals("{\"message\":\"Hello, World!\"}", response.body());
                    } else if (path.equals("/health")) {
                        assertEquals("{\"status\":\"UP\"}", response.body());
                    } else {
                        assertTrue(response.body().startsWith("{\"openapi\":\"3.1.0\""), response.body());
                    }
                    assertTrue(millis < 1000, path + " took " + millis + " ms with " + READERS + " slow readers");
                }
            }
            long open = held.stream().filter(s -> !s.isClosed()).count();
            assertEquals(READERS, open, "the readers were really held during the test");
        } finally {
            for (Socket socket : held) { // first, so the stop has no pending downloads to wait for
                socket.close();
            }
            app.close();
        }
    }

    @Test
    void aDownloadThatStalls_isCutOffAfterTheWriteTimeout_andLoggedAsAborted() throws Exception {
        Duration writeTimeout = Duration.ofMillis(500);
        try (LogCapture access = LogCapture.of("access");
             RunningApp app = RunningApp.start(RunningApp.services().writeTimeout(writeTimeout));
             Socket reader = nonReader(app.port())) {
            // The server closes the connection once the timeout passes: reading then drains what
            // the socket buffers held and ends (EOF or reset) well before the whole answer.
            reader.setSoTimeout(10_000);
            long begin = System.nanoTime();
            // Waits up to 5 s: ten times the 0.5 s timeout, a margin for a noisy machine (the
            // default timeout is 10 s).
            ILoggingEvent line = access.await(e -> e.getFormattedMessage().endsWith(" aborted"));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
            long received = 0;
            InputStream in = reader.getInputStream();
            byte[] buffer = new byte[65536];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    received += n;
                }
            } catch (java.net.SocketException reset) {
                // closed by the server: what we want
            }
            assertTrue(received < 1_685_000L * PIPELINED, "received " + received + " bytes: not cut off");
            assertTrue(millis < 5_000, "cut off after " + millis + " ms");
            assertTrue(line.getFormattedMessage().contains(" GET /docs/{asset} 200 "), line.getFormattedMessage());
            assertEquals(Boolean.TRUE, LogCapture.value(line, "aborted"));
        }
    }

}
