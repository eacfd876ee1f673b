package dev.apikeyauth.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikeyauth.testsupport.JarProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM in the middle of traffic: every request the service took in (each one it wrote an
 * access-log line for) got a complete response, and the process exits 0 within SHUTDOWN_TIMEOUT.
 * Each request carries its own X-Request-Id, which ties the client's view to the server's log.
 */
class ShutdownUnderLoadSlowIT {
    static final String LOAD_KEY = "shutdown-load-key-0123456789";
    static final int CLIENTS = 8;
    static final long TIMEOUT_MILLIS = 5_000;

    enum Result { COMPLETE, REFUSED, CUT }

    /** One request on its own connection; which of the three things happened to it. */
    static final Map<String, String> CUTS = new ConcurrentHashMap<>();

    static Result send(int port, String requestId, Map<String, Integer> statuses) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\nX-Request-Id: "
                    + requestId + "\r\nAuthorization: Bearer " + LOAD_KEY + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String response = all.toString(StandardCharsets.ISO_8859_1);
            int headerEnd = response.indexOf("\r\n\r\n");
            if (!response.startsWith("HTTP/1.1 ") || headerEnd < 0) {
                CUTS.put(requestId, "got " + all.size() + " bytes: " + response);
                return Result.CUT;
            }
            int status = Integer.parseInt(response.substring(9, 12));
            String lengthHeader = response.substring(0, headerEnd).lines()
                    .filter(l -> l.regionMatches(true, 0, "Content-Length:", 0, 15)).findFirst().orElse(null);
            int length = lengthHeader == null ? 0 : Integer.parseInt(lengthHeader.substring(15).trim());
            if (response.length() - headerEnd - 4 != length) {
                CUTS.put(requestId, "short body: " + response);
                return Result.CUT;
            }
            statuses.put(requestId, status);
            return Result.COMPLETE;
        } catch (ConnectException refused) {
            return Result.REFUSED;
        } catch (IOException e) {
            CUTS.put(requestId, e.toString());
            return Result.CUT; // reset or closed: fine only if the service never logged this request
        }
    }

    @Test
    void sigtermDuringTraffic_everyAcceptedRequestIsAnswered_andTheProcessExitsZero() throws Exception {
        int port = JarProcess.freePort();
        try (JarProcess jar = JarProcess.start(Map.of("AUTH_API_KEY", LOAD_KEY, "PORT", "" + port, "HOST", "127.0.0.1",
                "LOG_FORMAT", "json", "SHUTDOWN_TIMEOUT", TIMEOUT_MILLIS + "ms"), "")) {
            JarProcess.awaitHealthy(port, jar.process);
            Map<String, Integer> statuses = new ConcurrentHashMap<>();
            Map<Result, AtomicInteger> counts = new ConcurrentHashMap<>();
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger sequence = new AtomicInteger();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            for (int c = 0; c < CLIENTS; c++) {
                clients.submit(() -> {
                    while (running.get()) {
                        String id = "load-" + sequence.incrementAndGet();
                        counts.computeIfAbsent(send(port, id, statuses), r -> new AtomicInteger()).incrementAndGet();
                    }
                });
            }
            while (statuses.size() < 2_000) {
                Thread.sleep(10); // poll: traffic is flowing once two thousand answers are in
            }
            long begin = System.nanoTime();
            jar.process.destroy(); // SIGTERM
            assertTrue(jar.process.waitFor(TIMEOUT_MILLIS + 5_000, TimeUnit.MILLISECONDS), "still running");
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
            running.set(false);
            clients.shutdown();
            assertTrue(clients.awaitTermination(30, TimeUnit.SECONDS));

            assertEquals(0, jar.exitValue(), "exit status after SIGTERM");
            assertTrue(millis <= TIMEOUT_MILLIS + 2_000, "exited " + millis + " ms after SIGTERM");

            Set<String> logged = new HashSet<>();
            ObjectMapper mapper = new ObjectMapper();
            for (String line : jar.out().lines().toList()) {
                JsonNode node = mapper.readTree(line);
                // Only this test's requests: the readiness probe's got fresh ids.
                if ("access".equals(node.path("logger").asText())
                        && node.path("requestId").asText().startsWith("load-")) {
                    logged.add(node.get("requestId").asText());
                }
            }
            List<String> lost = new ArrayList<>();
            for (String id : logged) {
                if (!statuses.containsKey(id)) {
                    lost.add(id);
                }
            }
            System.out.printf("shutdown under load: stopped %d ms after SIGTERM, exit %d; client saw %s; "
                    + "%d requests in the access log, %d without a complete response%n",
                    millis, jar.exitValue(), counts, logged.size(), lost.size());
            assertTrue(logged.size() >= 2_000, "access log lines: " + logged.size());
            assertTrue(lost.isEmpty(), "accepted but not answered: " + lost.stream()
                    .map(id -> id + " (" + CUTS.getOrDefault(id, "no client record") + ")").toList());
            assertTrue(statuses.values().stream().allMatch(s -> s == 200 || s == 503), "statuses: "
                    + new HashSet<>(statuses.values()));
        }
    }
}
