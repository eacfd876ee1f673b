package dev.apikeyauth.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A platform's health probe, over and over: every 250 ms, whether the one before has ended or not,
 * a new connection, {@code GET /health}, at most 1 s for the whole answer (connecting included),
 * each probe's status and latency recorded. Then: was there, in every second of a span, a probe
 * begun in it and answered 200 within 1 s?
 */
public final class HealthProbes implements AutoCloseable {
    static final long EVERY_MILLIS = 250;
    static final int TIMEOUT_MILLIS = 1_000;

    /** One probe: when it began (ms since the epoch), its status (0 if none), how long it took. */
    public record Probe(long startMillis, int status, long millis) {
        boolean good() {
            return status == 200 && millis < TIMEOUT_MILLIS;
        }
    }

    private final int port;
    private final List<Probe> probes = new ArrayList<>();
    /** Each probe ends within 1 s, so a probe every 250 ms has at most 4 or 5 in flight. */
    private final ScheduledExecutorService pool = Executors.newScheduledThreadPool(8, runnable -> {
        Thread thread = new Thread(runnable, "health-probe");
        thread.setDaemon(true);
        return thread;
    });

    private HealthProbes(int port) {
        this.port = port;
    }

    /** Starts probing {@code port} on 127.0.0.1. */
    public static HealthProbes start(int port) {
        HealthProbes probes = new HealthProbes(port);
        probes.pool.scheduleAtFixedRate(() -> probes.pool.execute(probes::probeOnce), 0, EVERY_MILLIS,
                TimeUnit.MILLISECONDS);
        return probes;
    }

    private void probeOnce() {
        long start = System.currentTimeMillis();
        long begin = System.nanoTime();
        int status = probe();
        Probe probe = new Probe(start, status, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
        synchronized (probes) {
            probes.add(probe);
        }
    }

    private int probe() {
        try (Socket socket = new Socket()) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
            socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: probe\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            int left = (int) TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return 0;
            }
            socket.setSoTimeout(left);
            InputStream in = socket.getInputStream();
            byte[] head = in.readNBytes(12); // "HTTP/1.1 200"
            return head.length == 12 ? Integer.parseInt(new String(head, 9, 3, StandardCharsets.US_ASCII)) : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** The probes begun from {@code fromMillis} (inclusive) to {@code toMillis} (exclusive). */
    public List<Probe> between(long fromMillis, long toMillis) {
        synchronized (probes) {
            return probes.stream().filter(p -> p.startMillis() >= fromMillis && p.startMillis() < toMillis).toList();
        }
    }

    /** The whole seconds from {@code fromMillis} to {@code toMillis} without a probe answered 200 within 1 s. */
    public List<Integer> secondsWithoutAnAnswer(long fromMillis, long toMillis) {
        List<Probe> span = between(fromMillis, toMillis);
        List<Integer> missed = new ArrayList<>();
        for (int second = 0; second < (toMillis - fromMillis) / 1000; second++) {
            long from = fromMillis + second * 1000L;
            if (span.stream().noneMatch(p -> p.good() && p.startMillis() >= from && p.startMillis() < from + 1000)) {
                missed.add(second);
            }
        }
        return missed;
    }

    /** "N probes, M answered 200 within 1 s (p50, p99, max ms)" for the span. */
    public String summary(long fromMillis, long toMillis) {
        List<Probe> span = between(fromMillis, toMillis);
        long[] good = span.stream().filter(Probe::good).mapToLong(Probe::millis).sorted().toArray();
        return span.size() + " probes, " + good.length + " answered 200 within 1 s"
                + (good.length == 0 ? "" : " (p50 " + good[(good.length - 1) / 2] + " ms, p99 "
                + good[Math.max(0, (int) Math.ceil(good.length * 0.99) - 1)] + " ms, max " + good[good.length - 1]
                + " ms)");
    }

    @Override
    public void close() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
    }
}
