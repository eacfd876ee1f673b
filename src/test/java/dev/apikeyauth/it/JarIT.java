package dev.apikeyauth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikeyauth.keys.KeyDigest;
import dev.apikeyauth.testsupport.JarProcess;
import dev.apikeyauth.testsupport.JsonLogLines;
import dev.apikeyauth.testsupport.Markdown;
import dev.apikeyauth.testsupport.Tools;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
            assertTrue(jar.out().matches("aka_[0-9A-Za-z]{49}\n"), jar.out());
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

    /**
     * A whole run with LOG_FORMAT=json, as the platform runs it: every line of standard output and
     * error is one JSON object in the platform's shape (JsonLogLines), warnings and errors included;
     * the access lines name the caller behind a trusted proxy and the request's trace.
     */
    @Test
    void jsonLogFormat_everyLineOfARun_isOneObjectInThePlatformsShape(@TempDir Path dir) throws Exception {
        Path keys = Files.writeString(dir.resolve("keys.txt"), "ci " + KeyDigest.of(KEY).format() + "\n");
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        String span = "00f067aa0ba902b7";
        int port = JarProcess.freePort();
        try (JarProcess jar = JarProcess.start(Map.of("AUTH_API_KEYS_FILE", keys.toString(), "PORT", "" + port,
                "HOST", "127.0.0.1", "LOG_FORMAT", "json", "FORWARDED_ALLOW_IPS", "127.0.0.1",
                "GOOGLE_CLOUD_PROJECT", "my-project-123"), "")) {
            JarProcess.awaitHealthy(port, jar.process);
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> hello = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/?q=1"))
                    .header("Authorization", "Bearer " + KEY).header("X-Request-Id", "json-ok")
                    .header("X-Forwarded-For", "203.0.113.7").header("traceparent", "00-" + trace + "-" + span + "-01")
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, hello.statusCode());
            HttpResponse<String> refused = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/x"))
                    .header("X-Request-Id", "json-refused").header("X-Forwarded-For", "not an address")
                    .header("traceparent", "00-" + trace + "-" + span + "-01-x").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, refused.statusCode());
            assertEquals(403, get(port, "/", KEY + "x").statusCode());

            // A warning and an error of the service's own: the keys file turns to garbage, then empty.
            Files.writeString(keys, "this is no keys file\n");
            awaitLine(jar, "\"severity\":\"ERROR\"");
            Files.writeString(keys, "# everyone locked out\n");
            awaitLine(jar, "\"severity\":\"WARNING\"");
            assertEquals(403, get(port, "/", KEY).statusCode());

            jar.process.destroy();
            assertTrue(jar.process.waitFor(10, TimeUnit.SECONDS));
            assertEquals(0, jar.exitValue());
            List<JsonNode> lines = JsonLogLines.parseAll(jar.out());
            lines.addAll(JsonLogLines.parseAll(jar.err()));
            assertTrue(lines.size() >= 8, jar.out());

            JsonNode ok = access(lines, "json-ok");
            assertEquals("/", ok.at("/httpRequest/requestUrl").asText());
            assertEquals(200, ok.at("/httpRequest/status").asInt());
            assertEquals("203.0.113.7", ok.at("/httpRequest/remoteIp").asText());
            assertEquals("ci", ok.get("keyId").asText());
            assertEquals(trace, ok.get("traceId").asText());
            assertEquals("projects/my-project-123/traces/" + trace, ok.get("logging.googleapis.com/trace").asText());
            assertEquals(span, ok.get("logging.googleapis.com/spanId").asText());
            JsonNode unmatched = access(lines, "json-refused");
            assertEquals("unmatched", unmatched.at("/httpRequest/requestUrl").asText());
            assertEquals(401, unmatched.at("/httpRequest/status").asInt());
            assertEquals("127.0.0.1", unmatched.at("/httpRequest/remoteIp").asText());
            assertFalse(unmatched.has("traceId"), "an invalid traceparent is ignored");
            assertTrue(lines.stream().anyMatch(n -> n.get("severity").asText().equals("WARNING")
                    && n.get("message").asText().contains("every request will be refused")), jar.out());
            assertTrue(lines.stream().anyMatch(n -> n.get("severity").asText().equals("ERROR")
                    && n.get("message").asText().startsWith("Reloading keys failed")), jar.out());
            assertFalse(jar.out().contains(KEY) || jar.err().contains(KEY), "the key reached the log");
        }
    }

    static JsonNode access(List<JsonNode> lines, String requestId) {
        return lines.stream().filter(n -> n.get("logger").asText().equals("access")
                && n.path("requestId").asText().equals(requestId)).findFirst()
                .orElseThrow(() -> new AssertionError("no access line for " + requestId + ": " + lines));
    }

    /** Polls the output until a line holds {@code text}, for at most the contract's 10 s of a reload. */
    static void awaitLine(JarProcess jar, String text) throws Exception {
        long begin = System.nanoTime();
        while (!jar.out().contains(text)) {
            assertTrue(System.nanoTime() - begin < TimeUnit.SECONDS.toNanos(10), "no " + text + " in " + jar.out());
            Thread.sleep(20);
        }
    }

    /**
     * The "Rotating a key" steps of docs/keys.md, read from there and run as written against the
     * packaged jar, with the service running: the check that step 2 does with curl is done here.
     */
    @Test
    void rotation_asDocumented_addsTheNewKey_thenRemovesTheOld_withoutRestart(
            @TempDir Path dir) throws Exception {
        List<String> steps = documentedCommands("Rotating a key");
        int check = indexOfFirst(steps, "curl ");
        Matcher keyFile = Pattern.compile("\\$\\(cat ([^)]+)\\)").matcher(steps.get(check));
        assertTrue(keyFile.find(), "step 2 reads the new key from a file: " + steps.get(check));
        assertTrue(steps.get(steps.size() - 1).contains("/^partner-a /d"), "the story is partner-a's key: " + steps);

        Path keys = dir.resolve("keys.txt");
        String oldKey;
        try (JarProcess gen = JarProcess.run(Map.of(), "", "generate-key", "--id", "partner-a")) {
            oldKey = gen.out().strip();
            Files.writeString(keys, gen.err());
        }
        int port = JarProcess.freePort();
        try (JarProcess jar = JarProcess.start(Map.of("AUTH_API_KEYS_FILE", keys.toString(), "PORT", "" + port,
                "HOST", "127.0.0.1"), "")) {
            JarProcess.awaitHealthy(port, jar.process);
            assertEquals(200, get(port, "/", oldKey).statusCode());

            List<String> assignments = steps.stream().filter(s -> s.matches("[A-Z_]+=\\S+")).toList();
            bash(dir, steps.subList(0, check));
            String newKey = Files.readString(dir.resolve(keyFile.group(1))).strip();
            long addedMillis = awaitStatus(port, newKey, 200);
            assertEquals(200, get(port, "/", oldKey).statusCode(), "both keys work during the overlap");

            List<String> rest = new ArrayList<>(assignments);
            rest.addAll(steps.subList(check + 1, steps.size()));
            bash(dir, rest);
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

    /** The two lines of docs/keys.md's "Commands" that compose: the digest hash-key prints is the keys file's. */
    @Test
    void generateKeyAndHashKey_asDocumented_composeIntoAKeysFile(@TempDir Path dir)
            throws Exception {
        String digest = bash(dir, documentedCommands("Commands")).strip();
        String key = Files.readString(dir.resolve("ci.key")).strip();
        assertEquals(KeyDigest.of(key).format(), digest);
        List<String> lines = Files.readAllLines(dir.resolve("keys.txt"));
        assertEquals(1, lines.size(), lines::toString);
        assertTrue(lines.get(0).matches("ci\\s+" + Pattern.quote(digest) + "\\s*"), lines.get(0));
    }

    /**
     * docs/keys.md's "One key, end to end", run as written against the packaged jar (on a free port
     * instead of 8082), its transcript compared with the one pasted there, line by line but for what
     * differs from run to run: the digest, dates, request ids and durations.
     */
    @Test
    void walkthrough_asDocumented_printsWhatTheDocShows(@TempDir Path dir) throws Exception {
        Tools.require("curl", "curl");
        String keysDoc = Files.readString(Path.of("docs", "keys.md"));
        List<String> blocks = Markdown.codeBlocks(Markdown.section(keysDoc, "One key, end to end"), "console");
        assertEquals(1, blocks.size(), blocks::toString);
        List<String> shown = blocks.get(0).lines().toList();
        List<String> commands = shown.stream().filter(l -> l.startsWith("$ ")).map(l -> l.substring(2)).toList();
        assertTrue(commands.get(0).startsWith("java -jar target/api-key-auth.jar generate-key --id ci --scopes read"),
                commands.get(0));

        int port = JarProcess.freePort();
        StringBuilder script = new StringBuilder("trap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n");
        for (String command : commands) {
            script.append("echo ").append(shellQuote("$ " + command)).append('\n')
                    .append(command.replace("localhost:8082", "localhost:" + port)).append('\n')
                    .append("echo\n");
        }
        String transcript = bash(dir, List.of(script.toString()), Map.of("PORT", Integer.toString(port)));
        assertEquals(normalized(shown), normalized(transcript.replace("\r", "").lines().toList()));
        String key = Files.readString(dir.resolve("ci.key")).strip();
        assertFalse(transcript.contains(key), "the key is never printed");
        assertFalse(Files.readString(dir.resolve("service.log")).contains(key), "nor logged");
    }

    /** The lines without blank ones, with what differs from run to run replaced by a placeholder. */
    static List<String> normalized(List<String> lines) {
        return lines.stream().filter(l -> !l.isBlank())
                .map(l -> l.replaceAll("sha256:[0-9a-f]{64}", "sha256:<digest>")
                        .replaceAll("^Date: .*", "Date: <date>")
                        .replaceAll("^X-Request-Id: [0-9a-f]{32}$", "X-Request-Id: <id>")
                        .replaceAll(" \\d+\\.\\d\\dms ", " <ms> "))
                .toList();
    }

    static String shellQuote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    /** The command lines (comments and blank lines left out) of the bash block under {@code heading} in docs/keys.md. */
    static List<String> documentedCommands(String heading) throws IOException {
        String keysDoc = Files.readString(Path.of("docs", "keys.md"));
        List<String> blocks = Markdown.codeBlocks(Markdown.section(keysDoc, heading), "bash");
        assertEquals(1, blocks.size(), () -> "docs/keys.md, \"" + heading + "\": one bash block, found " + blocks);
        return blocks.get(0).lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    static int indexOfFirst(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no line starts with " + prefix + ": " + lines);
    }

    /**
     * Runs {@code lines} as one bash script in {@code dir}, as a reader would from the repository's
     * root: {@code target/api-key-auth.jar} there is a copy of the packaged jar (a link out of the
     * temporary folder would make JUnit warn as it cleans up) and {@code java} is this JVM's.
     * Returns the standard output.
     */
    static String bash(Path dir, List<String> lines) throws Exception {
        return bash(dir, lines, Map.of());
    }

    /** {@link #bash(Path, List)} with {@code env} added to the script's environment. */
    static String bash(Path dir, List<String> lines, Map<String, String> env) throws Exception {
        Path jar = dir.resolve(JarProcess.JAR);
        if (!Files.exists(jar)) {
            Files.createDirectories(jar.getParent());
            Files.copy(JarProcess.JAR, jar);
        }
        String javaBin = Path.of(ProcessHandle.current().info().command().orElseThrow()).getParent().toString();
        // Under timeout: a script that hangs (a service that never answers) must fail, not stall the build.
        ProcessBuilder builder = new ProcessBuilder("timeout", "120", "bash", "-euo", "pipefail", "-c",
                String.join("\n", lines))
                .directory(dir.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", javaBin + File.pathSeparator
                + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().putAll(env);
        Path err = Files.createTempFile("bash-err", ".txt");
        try {
            Process process = builder.redirectError(err.toFile()).start();
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "still running: " + lines);
            assertEquals(0, process.exitValue(), lines + "\n" + Files.readString(err));
            return out;
        } finally {
            Files.delete(err);
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
