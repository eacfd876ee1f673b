package dev.apikeyauth.ship;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.apikeyauth.config.Config;
import dev.apikeyauth.config.LogFormat;
import dev.apikeyauth.http.App;
import dev.apikeyauth.testsupport.RunningApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fails the build when app.yaml or the Dockerfile drift from the code they deploy: the port,
 * the probe paths, the environment variables, the user, the JVM flags of the AOT training run.
 */
class DeploymentFilesTest {
    private static final Pattern ENV_NAME = Pattern.compile("(?m)^[\\s#]*-?\\s*name:\\s*([A-Z][A-Z0-9_]*)\\s*$");

    static String appYamlText;
    static JsonNode container;
    static List<String> dockerfile;

    @BeforeAll
    static void read() throws IOException {
        appYamlText = Files.readString(Path.of("app.yaml"));
        JsonNode service = new YAMLMapper().readTree(appYamlText);
        JsonNode containers = service.at("/spec/template/spec/containers");
        assertEquals(1, containers.size(), "app.yaml: containers");
        container = containers.get(0);
        dockerfile = instructions(Files.readString(Path.of("Dockerfile")));
    }

    @Test
    void appYaml_hasOnePort_namedHttp1_theDefaultPort() {
        JsonNode ports = container.path("ports");
        assertEquals(1, ports.size(), "ports: Knative and Cloud Run route to exactly one");
        assertEquals("http1", ports.get(0).path("name").asText());
        assertEquals(Config.DEFAULT_PORT, ports.get(0).path("containerPort").asInt());
    }

    @Test
    void appYaml_leavesPortToThePlatform() {
        assertFalse(envNames().contains(Config.PORT), "Knative and Cloud Run set PORT themselves");
    }

    @Test
    void appYaml_namesOnlyVariablesTheConfigReads_commentedOnesToo() {
        Set<String> named = new LinkedHashSet<>();
        Matcher m = ENV_NAME.matcher(appYamlText);
        while (m.find()) {
            named.add(m.group(1));
        }
        assertTrue(named.containsAll(Set.of(Config.AUTH_API_KEY, Config.AUTH_API_KEYS_FILE)), named::toString);
        for (String name : named) {
            assertTrue(Config.VARIABLES.contains(name), name + " is not one of " + Config.VARIABLES);
        }
    }

    @Test
    void appYaml_takesTheKeyFromASecret() {
        JsonNode apiKey = env(Config.AUTH_API_KEY);
        assertTrue(apiKey.path("value").isMissingNode(), "AUTH_API_KEY must not be written into app.yaml");
        JsonNode ref = apiKey.at("/valueFrom/secretKeyRef");
        assertFalse(ref.path("name").asText().isEmpty(), "secretKeyRef.name");
        assertFalse(ref.path("key").asText().isEmpty(), "secretKeyRef.key");
    }

    @Test
    void appYaml_valuesAreOnesTheConfigAccepts_withJsonLogsAndTheProxyTrusted() {
        Map<String, String> env = new HashMap<>();
        container.path("env").forEach(variable -> {
            if (variable.has("value")) {
                env.put(variable.path("name").asText(), variable.path("value").asText());
            }
        });
        env.put(Config.AUTH_API_KEY, RunningApp.KEY); // from the secret
        Config config = Config.fromEnv(env);
        assertEquals(LogFormat.JSON, config.logFormat(), "the platform reads JSON lines");
        assertTrue(config.forwardedAllowIps().trustsAny(), "FORWARDED_ALLOW_IPS: the platform's proxy is the peer");
    }

    @Test
    void appYaml_memoryLimit_isTheOneTheSmokeTestRunsTheImageWith() throws IOException {
        JsonNode limits = container.at("/resources/limits");
        assertEquals("256Mi", limits.path("memory").asText());
        String smoke = Files.readString(Path.of("scripts", "container-smoke.sh"));
        Matcher memory = Pattern.compile("(?m)^MEMORY=(\\d+)m$").matcher(smoke);
        Matcher cpus = Pattern.compile("(?m)^CPUS=(\\S+)$").matcher(smoke);
        assertTrue(memory.find() && cpus.find(), "scripts/container-smoke.sh sets MEMORY and CPUS");
        assertEquals(limits.path("memory").asText(), memory.group(1) + "Mi");
        assertEquals(limits.path("cpu").asText(), cpus.group(1));
        assertEquals(limits.path("memory").asText(), container.at("/resources/requests/memory").asText(),
                "memory requested as limited");
    }

    @Test
    void dockerfile_boundsHeapDirectMemoryAndCodeCache_withinTheLimit() throws IOException {
        List<String> flags = entrypoint();
        int heapPercent = Integer.parseInt(flag(flags, "-XX:MaxRAMPercentage="));
        int directMiB = Integer.parseInt(flag(flags, "-XX:MaxDirectMemorySize=").replace("m", ""));
        int codeMiB = Integer.parseInt(flag(flags, "-XX:ReservedCodeCacheSize=").replace("m", ""));
        int limitMiB = 256;
        // What is left must hold metaspace, stacks and the JVM's own memory (42 MiB measured)
        // and the kernel's socket buffers at a 10,000-connection flood (15 MiB), with a little
        // room: docs/deploying.md has the budget and what was measured.
        int rest = limitMiB - limitMiB * heapPercent / 100 - directMiB - codeMiB;
        assertTrue(rest >= 60, "heap " + heapPercent + "%, direct " + directMiB + " MiB, code " + codeMiB
                + " MiB leave " + rest + " MiB of " + limitMiB);
    }

    @Test
    void appYaml_probesGetAPublicPath_onTheContainerPort() {
        for (JsonNode probe : probes()) {
            assertTrue(App.publicPaths().contains(probe.path("path").asText()),
                    probe + " is not one of the public paths " + App.publicPaths());
            assertEquals(Config.DEFAULT_PORT, probe.path("port").asInt(), probe::toString);
        }
    }

    @Test
    void appYaml_probePaths_answer200WithoutAKey() {
        try (RunningApp app = RunningApp.withTestKey()) {
            for (JsonNode probe : probes()) {
                given().port(app.port()).get(probe.path("path").asText()).then().statusCode(200);
            }
        }
    }

    @Test
    void appYaml_runsAsNonRoot_withAReadOnlyRoot() {
        JsonNode security = container.path("securityContext");
        assertTrue(security.path("runAsNonRoot").asBoolean());
        assertTrue(security.path("readOnlyRootFilesystem").asBoolean());
        assertFalse(security.path("allowPrivilegeEscalation").asBoolean(true));
    }

    @Test
    void dockerfile_exposesTheDefaultPort() {
        assertEquals(List.of("EXPOSE " + Config.DEFAULT_PORT), instructionsNamed("EXPOSE"));
    }

    @Test
    void dockerfile_runsAsANumericNonRootUser() {
        // runAsNonRoot can only check a numeric user without reading the image's /etc/passwd.
        List<String> users = instructionsNamed("USER");
        assertEquals(1, users.size(), users::toString);
        String uid = users.get(0).substring("USER ".length()).split(":")[0];
        assertTrue(uid.matches("\\d+"), "USER " + uid + " is not numeric");
        assertNotEquals("0", uid);
    }

    private static List<String> entrypoint() throws IOException {
        List<String> entrypoint = new ArrayList<>();
        new ObjectMapper().readTree(single("ENTRYPOINT").substring("ENTRYPOINT ".length()))
                .forEach(arg -> entrypoint.add(arg.asText()));
        return entrypoint;
    }

    private static String flag(List<String> flags, String prefix) {
        return flags.stream().filter(f -> f.startsWith(prefix)).map(f -> f.substring(prefix.length())).findFirst()
                .orElseThrow(() -> new AssertionError("the ENTRYPOINT has no " + prefix + ": " + flags));
    }

    @Test
    void dockerfile_trainsTheAotCache_withTheEntrypointsJvmFlags() throws IOException {
        List<String> entrypoint = entrypoint();
        assertEquals("java", entrypoint.get(0));
        assertTrue(entrypoint.contains("-XX:AOTCache=/app/app.aot"), entrypoint::toString);

        String training = dockerfile.stream().filter(i -> i.contains("-XX:AOTCacheOutput=/app/app.aot"))
                .findFirst().orElseThrow(() -> new AssertionError("no training run in the Dockerfile"));
        for (String flag : entrypoint.subList(1, entrypoint.indexOf("-jar"))) {
            if (!flag.startsWith("-XX:AOTCache=")) {
                assertTrue(training.contains(" " + flag + " "), "the training run lacks " + flag);
            }
        }
    }

    private static JsonNode env(String name) {
        for (JsonNode variable : container.path("env")) {
            if (variable.path("name").asText().equals(name)) {
                return variable;
            }
        }
        throw new AssertionError("app.yaml does not set " + name);
    }

    private static Set<String> envNames() {
        Set<String> names = new LinkedHashSet<>();
        container.path("env").forEach(variable -> names.add(variable.path("name").asText()));
        return names;
    }

    private static List<JsonNode> probes() {
        List<JsonNode> probes = new ArrayList<>();
        for (String kind : List.of("readinessProbe", "livenessProbe")) {
            JsonNode httpGet = container.path(kind).path("httpGet");
            assertFalse(httpGet.isMissingNode(), "app.yaml has no " + kind + ".httpGet");
            probes.add(httpGet);
        }
        return probes;
    }

    private static String single(String keyword) {
        List<String> found = instructionsNamed(keyword);
        assertEquals(1, found.size(), () -> keyword + ": " + found);
        return found.get(0);
    }

    private static List<String> instructionsNamed(String keyword) {
        return dockerfile.stream().filter(i -> i.startsWith(keyword + " ")).toList();
    }

    /** The Dockerfile's instructions, one string each: comments dropped, continuations joined. */
    private static List<String> instructions(String text) {
        List<String> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
                continue;
            }
            boolean continues = trimmed.endsWith("\\");
            current.append(continues ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(' ');
            if (!continues) {
                result.add(current.toString().strip().replaceAll("\\s+", " "));
                current.setLength(0);
            }
        }
        return result;
    }
}
