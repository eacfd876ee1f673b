package dev.apikeyauth.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apikeyauth.testsupport.JarProcess;
import dev.apikeyauth.testsupport.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Two minutes of mixed valid and wrong-key traffic from wrk against the packaged jar: no socket
 * errors, no status but 200 and 403 in the right proportion, and no heap growth (used heap after a
 * full GC at the end within 10 % of that at 30 s).
 */
class SoakSlowIT {
    static final String SOAK_KEY = "soak-key-0123456789abcdefghij";
    static final String WRONG_KEY = "soak-key-0123456789abcdefghiX";
    static final int SECONDS = Integer.getInteger("soak.seconds", 120);
    static final int CONNECTIONS = 32;

    @Test
    void twoMinutesOfMixedTraffic_noErrors_noUnexpectedStatuses_noHeapGrowth() throws Exception {
        Path wrk = Tools.require("wrk", "wrk");
        Path jcmd = Tools.jdkTool("jcmd");
        Path script = Path.of("src/test/resources/reliability/mix.lua").toAbsolutePath();
        int port = JarProcess.freePort();
        try (JarProcess jar = JarProcess.start(Map.of("AUTH_API_KEY", SOAK_KEY, "PORT", "" + port,
                "HOST", "127.0.0.1", "LOG_FORMAT", "json"), "")) {
            JarProcess.awaitHealthy(port, jar.process);
            long pid = jar.process.pid();
            String url = "http://127.0.0.1:" + port + "/";
            Map<String, String> env = Map.of("SOAK_KEY", SOAK_KEY, "SOAK_WRONG_KEY", WRONG_KEY);
            run(env, wrk.toString(), "-t1", "-c" + CONNECTIONS, "-d5s", "-s", script.toString(), url); // warm-up

            CompletableFuture<String> soak = CompletableFuture.supplyAsync(() -> run(env, wrk.toString(), "-t2",
                    "-c" + CONNECTIONS, "-d" + SECONDS + "s", "--timeout", "5s", "-s", script.toString(), url));
            Thread.sleep(30_000); // the soak's own timeline: the first heap sample is taken at 30 s
            long heapAt30 = heapAfterFullGc(jcmd, pid);
            String report = soak.get(SECONDS + 60, TimeUnit.SECONDS);
            long heapAtEnd = heapAfterFullGc(jcmd, pid);

            Map<String, Long> mix = parse(report);
            long sentValid = mix.get("sent_valid");
            long sentWrong = mix.get("sent_wrong");
            long ok = mix.getOrDefault("status_200", 0L);
            long refused = mix.getOrDefault("status_403", 0L);
            long others = mix.entrySet().stream().filter(e -> e.getKey().startsWith("status_"))
                    .filter(e -> !e.getKey().equals("status_200") && !e.getKey().equals("status_403"))
                    .mapToLong(Map.Entry::getValue).sum();
            System.out.printf("soak: %d s, %d requests (%d valid, %d wrong), 200=%d 403=%d other=%d, "
                            + "heap after full GC: %d KiB at 30 s, %d KiB at end%n", SECONDS, sentValid + sentWrong,
                    sentValid, sentWrong, ok, refused, others, heapAt30, heapAtEnd);
            assertEquals(0, mix.get("connect") + mix.get("read") + mix.get("write") + mix.get("timeout"),
                    "socket errors:\n" + report);
            assertEquals(0, others, "unexpected statuses:\n" + report);
            // At most one request per connection is still in flight when wrk stops.
            assertTrue(Math.abs(sentValid - ok) <= CONNECTIONS, report);
            assertTrue(Math.abs(sentWrong - refused) <= CONNECTIONS, report);
            assertTrue(sentValid + sentWrong > 10_000, "too little traffic to mean anything:\n" + report);
            assertTrue(heapAtEnd <= heapAt30 * 1.10, "heap grew from " + heapAt30 + " KiB to " + heapAtEnd + " KiB");
            assertFalse(jar.outContains(SOAK_KEY), "the key reached the log");
        }
    }

    static Map<String, Long> parse(String report) {
        Map<String, Long> values = new HashMap<>();
        Matcher m = Pattern.compile("(\\w+)=(\\d+)").matcher(String.join("\n",
                report.lines().filter(l -> l.startsWith("MIX ")).toList()));
        while (m.find()) {
            values.put(m.group(1), Long.parseLong(m.group(2)));
        }
        assertTrue(values.containsKey("sent_valid"), "no summary from wrk:\n" + report);
        return values;
    }

    /**
     * The service's live heap in KiB, measured by a full GC: {@code GC.class_histogram} collects
     * first and counts only what survived, in one step, so traffic that keeps allocating between
     * a separate {@code GC.run} and a later reading can't inflate the figure.
     */
    static long heapAfterFullGc(Path jcmd, long pid) {
        String histogram = run(Map.of(), jcmd.toString(), Long.toString(pid), "GC.class_histogram");
        Matcher total = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)").matcher(histogram);
        assertTrue(total.find(), histogram.lines().limit(5).toList().toString());
        return Long.parseLong(total.group(1)) / 1024;
    }

    static String run(Map<String, String> env, String... command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(List.of(command)).redirectErrorStream(true);
            builder.environment().putAll(env);
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(10, TimeUnit.MINUTES));
            assertEquals(0, process.exitValue(), String.join(" ", command) + ":\n" + out);
            return out;
        } catch (Exception e) {
            throw new AssertionError(String.join(" ", command), e);
        }
    }
}
