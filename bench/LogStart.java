import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What LOG_FORMAT=json costs a cold start, alone: in a fresh JVM, the time to switch Logback to
 * JSON (as {@code Server.start} does) and write a first access-like line, as CPU time of the
 * thread that does it (on the start path, before the server listens) and wall-clock time.
 *
 * <p>Run in source-file mode against a jar, several times (each run is one cold JVM):
 * <pre>
 *   for i in 1 2 3 4 5; do java -cp target/api-key-auth.jar bench/LogStart.java 2>&1 >/dev/null; done
 * </pre>
 * Prints {@code wall_ms=... cpu_ms=...} on standard error; the JSON line goes to standard output.
 * Logback's own start (in the text format the service begins with) is outside the measurement.
 */
public final class LogStart {
    public static void main(String[] args) {
        var threads = ManagementFactory.getThreadMXBean();
        org.slf4j.LoggerFactory.getILoggerFactory();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        dev.apikeyauth.ops.Logging.configure(dev.apikeyauth.config.LogFormat.JSON);
        Map<String, Object> httpRequest = new LinkedHashMap<>();
        httpRequest.put("requestMethod", "GET");
        httpRequest.put("status", 200);
        org.slf4j.LoggerFactory.getLogger("access").atInfo().addKeyValue("httpRequest", httpRequest)
                .addKeyValue("requestId", "first").log("first line");
        long cpu1 = threads.getCurrentThreadCpuTime();
        long t1 = System.nanoTime();
        System.err.printf("wall_ms=%.1f cpu_ms=%.1f%n", (t1 - t0) / 1e6, (cpu1 - cpu0) / 1e6);
        dev.apikeyauth.ops.Logging.flush();
    }
}
