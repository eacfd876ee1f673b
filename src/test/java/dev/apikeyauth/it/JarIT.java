package dev.apikeyauth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikeyauth.keys.KeyDigest;
import dev.apikeyauth.testsupport.JarProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The packaged jar as a process: exit statuses, streams, SIGTERM and JSON logs. */
class JarIT {
    static final String KEY = "jar-it-key-0123456789abcdef";

    static HttpResponse<String> get(int port, String path, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void sigterm_drainsAndExitsZero() throws Exception {
        int port = JarProcess.freePort();
        try (JarProcess jar = JarProcess.start(Map.of("AUTH_API_KEY", KEY, "PORT", "" + port, "HOST", "127.0.0.1"), "")) {
            JarProcess.awaitHealthy(port, jar.process);
            HttpResponse<String> hello = get(port, "/", KEY);
            assertEquals(200, hello.statusCode());
            assertEquals("{\"message\":\"Hello, World!\"}", hello.body());
            assertEquals(401, get(port, "/", null).statusCode());
            assertEquals(403, get(port, "/", KEY + "x").statusCode());

            long begin = System.nanoTime();
            jar.process.destroy(); // SIGTERM on Unix
            assertTrue(jar.process.waitFor(10, TimeUnit.SECONDS), "no exit within 10 s of SIGTERM");
            assertEquals(0, jar.exitValue(), jar.out() + jar.err());
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
            assertTrue(jar.out().contains("Shutdown requested"), jar.out());
            assertFalse(jar.out().contains(KEY));
            assertTrue(millis < 9000, "stopped in " + millis + " ms");
        }
    }

    @Test
    void packagedJar_servesMetricsTheDocumentAndTheDocsFiles() throws Exception {
        int port = JarProcess.freePort();
        try (JarProcess jar = JarProcess.start(Map.of("AUTH_API_KEY", KEY, "PORT", "" + port, "HOST", "127.0.0.1"), "")) {
            JarProcess.awaitHealthy(port, jar.process);
            assertEquals(401, get(port, "/metrics", null).statusCode());
            HttpResponse<String> metrics = get(port, "/metrics", KEY);
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("\napikeyauth_active_keys 1.0\n"), metrics.body());
            assertTrue(metrics.body().contains("jvm_memory_used_bytes{"), metrics.body());
            assertFalse(metrics.body().contains(KEY));

            HttpResponse<String> document = get(port, "/openapi.json", null);
            assertEquals(200, document.statusCode());
            assertEquals("3.1.0", new ObjectMapper().readTree(document.body()).path("openapi").asText());
            // The webjar's files made it into the shaded jar, found through the webjar's own metadata.
            assertEquals(200, get(port, "/docs", null).statusCode());
            HttpResponse<String> bundle = get(port, "/docs/swagger-ui-bundle.js", null);
            assertEquals(200, bundle.statusCode());
            assertTrue(bundle.body().length() > 1_000_000, "bundle of " + bundle.body().length() + " chars");
            assertEquals("text/javascript; charset=utf-8", bundle.headers().firstValue("Content-Type").orElse(""));
        }
    }

    @Test
    void noKey_withoutATerminal_exits2WithOneLine() throws Exception {
        try (JarProcess jar = JarProcess.run(Map.of(), "")) {
            assertEquals(2, jar.exitValue());
            assertEquals("", jar.out());
            List<String> lines = jar.err().lines().toList();
            assertEquals(1, lines.size(), jar.err());
            assertTrue(lines.get(0).contains("AUTH_API_KEY") && lines.get(0).contains("AUTH_API_KEYS_FILE"));
        }
    }

    @Test
    void badVariable_exits2WithOneLine() throws Exception {
        try (JarProcess jar = JarProcess.run(Map.of("AUTH_API_KEY", KEY, "PORT", "http"), "")) {
            assertEquals(2, jar.exitValue());
            assertEquals("", jar.out());
            assertEquals("api-key-auth: PORT must be a whole number from 1 to 65535, got \"http\"\n", jar.err());
        }
    }

    @Test
    void generateKey_writesOnlyTheKeyAndTheKeysFileLine() throws Exception {
        try (JarProcess jar = JarProcess.run(Map.of(), "", "generate-key", "--id", "ci")) {
            assertEquals(0, jar.exitValue());
            String key = jar.out().strip();
            assertTrue(jar.out().matches("[A-Za-z0-9_-]{43}\n"), jar.out());
            assertEquals("ci " + KeyDigest.of(key).format() + "\n", jar.err());
        }
    }

    @Test
    void hashKey_readsStdin() throws Exception {
        try (JarProcess jar = JarProcess.run(Map.of(), "my-known-key-0123456789\n", "hash-key")) {
            assertEquals(0, jar.exitValue());
            assertEquals(KeyDigest.of("my-known-key-0123456789").format() + "\n", jar.out());
            assertEquals("", jar.err());
        }
    }

    @Test
    void versionAndHelp_exitZero_unknownExits2() throws Exception {
        try (JarProcess jar = JarProcess.run(Map.of(), "", "--version")) {
            assertEquals(0, jar.exitValue());
            assertTrue(jar.out().startsWith("api-key-auth "), jar.out());
            assertEquals("", jar.err());
        }
        try (JarProcess jar = JarProcess.run(Map.of(), "", "--nope")) {
            assertEquals(2, jar.exitValue());
            assertEquals("", jar.out());
            assertTrue(jar.err().startsWith("api-key-auth: unknown option '--nope'"), jar.err());
        }
    }

    @Test
    void jsonLogFormat_writesOneJsonObjectPerLine() throws Exception {
        int port = JarProcess.freePort();
        try (JarProcess jar = JarProcess.start(Map.of("AUTH_API_KEY", KEY, "PORT", "" + port, "HOST", "127.0.0.1",
                "LOG_FORMAT", "json"), "")) {
            JarProcess.awaitHealthy(port, jar.process);
            get(port, "/", KEY);
            jar.process.destroy();
            assertTrue(jar.process.waitFor(10, TimeUnit.SECONDS));
            assertEquals(0, jar.exitValue());
            ObjectMapper mapper = new ObjectMapper();
            List<String> lines = jar.out().lines().toList();
            assertTrue(lines.size() >= 4, jar.out());
            boolean sawAccess = false;
            for (String line : lines) {
                JsonNode node = mapper.readTree(line);
                assertTrue(node.isObject(), line);
                assertTrue(node.has("level") && node.has("timestamp"), line);
                if ("access".equals(node.path("loggerName").asText()) && line.contains("\"default\"")) {
                    sawAccess = true;
                }
            }
            assertTrue(sawAccess, jar.out());
            assertFalse(jar.out().contains(KEY));
        }
    }

    /** The README's "Rotating a key" steps, run for real against the packaged jar. */
    @Test
    void rotation_addNewKey_thenRemoveOld_withoutRestart(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path keys = dir.resolve("keys.txt");
        String oldKey;
        String newKey;
        try (JarProcess gen = JarProcess.run(Map.of(), "", "generate-key", "--id", "partner-old")) {
            oldKey = gen.out().strip();
            java.nio.file.Files.writeString(keys, gen.err());
        }
        int port = JarProcess.freePort();
        try (JarProcess jar = JarProcess.start(Map.of("AUTH_API_KEYS_FILE", keys.toString(), "PORT", "" + port,
                "HOST", "127.0.0.1"), "")) {
            JarProcess.awaitHealthy(port, jar.process);
            assertEquals(200, get(port, "/", oldKey).statusCode());

            try (JarProcess gen = JarProcess.run(Map.of(), "", "generate-key", "--id", "partner-new")) {
                newKey = gen.out().strip();
                java.nio.file.Files.writeString(keys, gen.err(), java.nio.file.StandardOpenOption.APPEND);
            }
            long addedMillis = awaitStatus(port, newKey, 200);
            assertEquals(200, get(port, "/", oldKey).statusCode(), "both keys work during the overlap");

            String remaining = java.nio.file.Files.readAllLines(keys).stream()
                    .filter(l -> !l.startsWith("partner-old ")).reduce("", (a, b) -> a + b + "\n");
            java.nio.file.Files.writeString(keys, remaining);
            long removedMillis = awaitStatus(port, oldKey, 403);
            assertEquals(200, get(port, "/", newKey).statusCode());
            System.out.printf("key rotation: new key active after %d ms, old key refused after %d ms%n",
                    addedMillis, removedMillis);

            jar.process.destroy();
            assertTrue(jar.process.waitFor(10, TimeUnit.SECONDS));
            assertEquals(0, jar.exitValue());
            assertTrue(jar.out().contains("Reloaded 1 key(s)"), jar.out());
            assertFalse(jar.out().contains(oldKey) || jar.out().contains(newKey));
        }
    }

    @Test
    void emptyKeysFile_startsAndRefusesEveryRequest(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path keys = java.nio.file.Files.writeString(dir.resolve("keys.txt"), "# everyone locked out\n");
        int port = JarProcess.freePort();
        try (JarProcess jar = JarProcess.start(Map.of("AUTH_API_KEYS_FILE", keys.toString(), "PORT", "" + port,
                "HOST", "127.0.0.1"), "")) {
            JarProcess.awaitHealthy(port, jar.process);
            assertEquals(403, get(port, "/", KEY).statusCode());
            assertEquals(401, get(port, "/", null).statusCode());
            assertTrue(jar.out().contains("WARN") && jar.out().contains("every request will be refused"), jar.out());
        }
    }

    /** Polls until {@code key} gets {@code status}, for at most the contract's 10 s; returns the wait. */
    static long awaitStatus(int port, String key, int status) throws Exception {
        long begin = System.nanoTime();
        while (get(port, "/", key).statusCode() != status) {
            assertTrue(System.nanoTime() - begin < TimeUnit.SECONDS.toNanos(10), "no " + status + " within 10 s");
            Thread.sleep(10);
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
    }
}
