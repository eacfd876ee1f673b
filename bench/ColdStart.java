import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Cold start, measured from outside: time from just before the server process is spawned to the
 * first {@code 200} of an authorised {@code GET /}, and the server's RSS at that moment.
 *
 * <p>Run in source-file mode (JDK 11+), so it needs no build:
 * <pre>
 *   java bench/ColdStart.java RUNS PORT KEY LOGFILE -- COMMAND...
 * </pre>
 * The environment of the server is this program's (the caller sets AUTH_API_KEY, PORT, HOST).
 * One extra run comes first and is discarded (it warms the page cache). Each run prints
 * {@code run N: X ms, CPU Z ms, RSS Y KiB}; the last line is
 * {@code median_ms=... median_rss_kib=... min_ms=... max_ms=... median_cpu_ms=...}. The CPU time the
 * server used until its first 200 moves much less than the wall-clock time on a busy machine.
 *
 * <p>The poll is a raw socket in a tight loop (a 200 µs pause after a refused connection), so the
 * resolution is well under a millisecond, unlike a curl loop that forks a process per try.
 */
public final class ColdStart {
    /** USER_HZ: the unit of /proc/<pid>/stat times; 100 on every Linux this runs on. */
    private static final int CLOCK_TICKS = Integer.getInteger("clockTicks", 100);

    public static void main(String[] args) throws Exception {
        int split = Arrays.asList(args).indexOf("--");
        if (split != 4 || args.length < 6) {
            System.err.println("usage: java ColdStart.java RUNS PORT KEY LOGFILE -- COMMAND...");
            System.exit(2);
        }
        int runs = Integer.parseInt(args[0]);
        int port = Integer.parseInt(args[1]);
        String key = args[2];
        Path log = Path.of(args[3]);
        List<String> command = List.of(Arrays.copyOfRange(args, 5, args.length));
        byte[] request = ("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

        double[] millis = new double[runs];
        long[] rss = new long[runs];
        double[] cpu = new double[runs];
        for (int run = 0; run <= runs; run++) {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            long begin = System.nanoTime();
            Process process = builder.start();
            try {
                long end = awaitFirst200(process, port, request);
                long kib = rssKib(process.pid());
                double cpuMillis = cpuMillis(process.pid());
                if (run > 0) {
                    millis[run - 1] = (end - begin) / 1e6;
                    rss[run - 1] = kib;
                    cpu[run - 1] = cpuMillis;
                    System.out.printf("run %d: %.1f ms, CPU %.0f ms, RSS %d KiB%n", run, millis[run - 1], cpuMillis, kib);
                }
            } finally {
                stop(process);
            }
        }
        double[] sortedMillis = millis.clone();
        long[] sortedRss = rss.clone();
        double[] sortedCpu = cpu.clone();
        Arrays.sort(sortedMillis);
        Arrays.sort(sortedRss);
        Arrays.sort(sortedCpu);
        System.out.printf("median_ms=%.1f median_rss_kib=%d min_ms=%.1f max_ms=%.1f median_cpu_ms=%.0f%n",
                median(sortedMillis), sortedRss[runs / 2], sortedMillis[0], sortedMillis[runs - 1], median(sortedCpu));
    }

    /** Polls until {@code GET /} answers 200; returns the nanoTime at which the status line arrived. */
    private static long awaitFirst200(Process process, int port, byte[] request) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with status " + process.exitValue());
            }
            try (Socket socket = new Socket()) {
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                socket.setSoTimeout(5000);
                OutputStream out = socket.getOutputStream();
                out.write(request);
                out.flush();
                String status = statusLine(socket.getInputStream());
                long now = System.nanoTime();
                if (status.startsWith("HTTP/1.1 200")) {
                    return now;
                }
            } catch (ConnectException notYet) {
                // not listening yet
            } catch (IOException notYet) {
                // accepted and dropped during start-up: try again
            }
            LockSupport.parkNanos(200_000);
        }
        throw new IllegalStateException("no 200 within 30 s");
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            line.append((char) c);
        }
        return line.toString();
    }

    private static long rssKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** utime + stime of the process so far, in ms (all its threads, the JIT and GC included). */
    private static double cpuMillis(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks * 1000.0 / CLOCK_TICKS;
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy(); // SIGTERM: the service drains and exits 0
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
