package dev.apikeyauth.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged jar run as a real process, as a user runs it: {@code java -jar target/api-key-auth.jar}. */
public final class JarProcess implements AutoCloseable {
    public static final Path JAR = Path.of("target", "api-key-auth.jar");

    public final Process process;
    final Path stdout;
    final Path stderr;

    private JarProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts the jar with exactly {@code env} (plus PATH) and {@code stdin} fed to it. */
    public static JarProcess start(Map<String, String> env, String stdin, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return start(List.of(java), env, stdin, args);
    }

    /**
     * Starts the jar as the container runs it: on JDK 25 ({@link Tools#jdk25()}) with the Dockerfile's
     * ENTRYPOINT flags, but for the AOT cache, and the container's memory limit told to the JVM as
     * {@code -XX:MaxRAM=memory} (it sizes its heap from that as from the cgroup's limit).
     */
    public static JarProcess startShipped(String memory, Map<String, String> env) throws IOException {
        Path java = Tools.jdk25().resolve("bin/java");
        List<String> command = new ArrayList<>(List.of(java.toString()));
        if (!Tools.isJdk25(java)) {
            command.add("-XX:+IgnoreUnrecognizedVMOptions"); // JDK 17 off CI: JDK 25's flags are skipped
        }
        command.addAll(dockerfileJvmFlags());
        command.add("-XX:MaxRAM=" + memory);
        return start(command, env, "");
    }

    /** The JVM flags of the Dockerfile's ENTRYPOINT (a JSON array, maybe over several lines), but the AOT cache. */
    public static List<String> dockerfileJvmFlags() throws IOException {
        String dockerfile = Files.readString(Path.of("Dockerfile"), StandardCharsets.UTF_8).replace("\\\n", " ");
        String entrypoint = dockerfile.lines().filter(l -> l.startsWith("ENTRYPOINT ")).findFirst()
                .orElseThrow(() -> new AssertionError("no ENTRYPOINT in the Dockerfile"));
        List<String> flags = new ArrayList<>();
        java.util.regex.Matcher arg = java.util.regex.Pattern.compile("\"([^\"]*)\"").matcher(entrypoint);
        while (arg.find()) {
            flags.add(arg.group(1));
        }
        return flags.subList(1, flags.indexOf("-jar")).stream().filter(f -> !f.startsWith("-XX:AOTCache")).toList();
    }

    private static JarProcess start(List<String> java, Map<String, String> env, String stdin, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(java);
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("jar-out", ".txt");
        Path err = Files.createTempFile("jar-err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        return new JarProcess(process, out, err);
    }

    /** Runs a command to its end and returns its exit status. */
    public static JarProcess run(Map<String, String> env, String stdin, String... args) throws Exception {
        JarProcess p = start(env, stdin, args);
        if (!p.process.waitFor(60, TimeUnit.SECONDS)) {
            p.process.destroyForcibly();
            throw new AssertionError("the command did not end within 60 s");
        }
        return p;
    }

    public int exitValue() {
        return process.exitValue();
    }

    public String out() throws IOException {
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    /**
     * Whether a line of the standard output holds {@code text}, read line by line: a soak's access
     * log runs past the 2 GB a String can hold.
     */
    public boolean outContains(String text) throws IOException {
        try (var lines = Files.lines(stdout, StandardCharsets.UTF_8)) {
            return lines.anyMatch(line -> line.contains(text));
        }
    }

    public String err() throws IOException {
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Polls {@code /health} until it answers 200, for at most 30 s. */
    public static void awaitHealthy(int port, Process process) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the service exited with " + process.exitValue());
            }
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the service did not become healthy within 30 s");
    }

    @Override
    public void close() throws IOException {
        process.destroyForcibly();
        Files.deleteIfExists(stdout);
        Files.deleteIfExists(stderr);
    }
}
