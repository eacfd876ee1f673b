package dev.apikeyauth.http;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.IdleTimeout;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cap on open connections, so that a flood of them cannot take more memory than the heap has:
 * Jetty's {@link NetworkConnectionLimit} on the service's one connector, and what keeps the
 * connections turning over once it is reached.
 *
 * <p>Below the cap nothing changes. At the cap, or while the heap is nearly full of live data
 * ({@link HeapPressure}), the service is <em>pressed</em>:
 * <ul>
 *   <li>the connector stops accepting (Jetty's limit): new connections wait in the kernel's accept
 *       backlog, in order, and cost the heap nothing until their turn; under heap pressure the cap
 *       is lowered to the connections already open;</li>
 *   <li>every answer carries {@code Connection: close}, and {@link Admission} answers 503 at once
 *       instead of queueing, so each connection held gets one quick answer more and frees its place;</li>
 *   <li>connections that hold memory without being answered are closed: at the cap, those idle between
 *       requests for {@link #IDLE_MILLIS} or still sending a request's head {@link #HEAD_MILLIS} after
 *       connecting (slowloris), twice a second; under heap pressure, every one of them open for
 *       {@link #FRESH_MILLIS} or more, at once and then twice a second.</li>
 * </ul>
 * So the backlog moves at the rate the service answers, and a connection waiting in it (a health
 * probe among them) gets its turn. When the flood ends, connections fall below the cap and the
 * service accepts again at once; it stops pressing once it has not reached the cap for
 * {@link #RELIEF_MILLIS}.
 */
final class ConnectionCap extends NetworkConnectionLimit implements HttpConfiguration.Customizer {
    /**
     * The share of the heap open connections may fill: with the serial collector, two thirds of the
     * old generation (itself two thirds of the heap), where long-lived connections end up. The
     * rest of it holds the service's own data (5-11 MiB) and the heads of requests still arriving
     * ({@link #HEADS_SHARE}), under the {@link HeapPressure#HIGH} mark.
     */
    static final double CONNECTIONS_SHARE = 0.45;
    /** The share of the heap the heads of requests still arriving may hold ({@link HeadLimits}). */
    static final double HEADS_SHARE = 0.125;
    /**
     * The heap budgeted per open connection, its request's head aside: a little above the most
     * measured, a busy connection with a request waiting its turn (bench/RESULTS.md).
     */
    static final long CONNECTION_BYTES = 6 * 1024;
    /** The least the derived cap is, however small the heap. */
    static final int MIN_DEFAULT = 64;
    /** At the cap, a connection idle between requests this long is closed. */
    static final long IDLE_MILLIS = 1_000;
    /** At the cap, a connection still sending its first request's head this long after connecting is closed. */
    static final long HEAD_MILLIS = 1_000;
    static final long SWEEP_MILLIS = 500;
    /** Under heap pressure, a connection this young is left the time to send its request. */
    static final long FRESH_MILLIS = 250;
    /**
     * Once the cap is reached, the service stays pressed until it has not reached it for this long,
     * so that it does not flip (and log) at every connection that closes and opens at the cap.
     */
    static final long RELIEF_MILLIS = 5_000;

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionCap.class);
    private static final HttpField CLOSE = new HttpField(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE);

    private final int max;
    private final AbstractConnector connector;
    private final HeapPressure heap;
    private final LongAdder closed = new LongAdder();
    private volatile boolean atCap;
    private volatile long limitedAt;
    private volatile boolean lowered;
    private volatile Scheduler.Task sweep;

    ConnectionCap(int max, AbstractConnector connector) {
        super(max, connector);
        if (max < 1) {
            throw new IllegalArgumentException("max must be positive, got " + max);
        }
        this.max = max;
        this.connector = connector;
        this.heap = new HeapPressure(this::sweep);
    }

    /**
     * The cap for a heap of {@code maxHeapBytes} ({@link Runtime#maxMemory()}): {@link #CONNECTIONS_SHARE}
     * of it, {@link #CONNECTION_BYTES} a connection, and at least {@link #MIN_DEFAULT}.
     */
    static int defaultMax(long maxHeapBytes) {
        long fit = (long) (maxHeapBytes * CONNECTIONS_SHARE) / CONNECTION_BYTES;
        return (int) Math.max(MIN_DEFAULT, Math.min(fit, Integer.MAX_VALUE));
    }

    /** The heap all unfinished request heads together may hold, for a heap of {@code maxHeapBytes}. */
    static long headsBudget(long maxHeapBytes) {
        return (long) (maxHeapBytes * HEADS_SHARE);
    }

    int max() {
        return max;
    }

    /** Whether the cap is reached or the heap nearly full: connections are being made to turn over. */
    boolean pressed() {
        return atCap || heap.isHigh();
    }

    /** Whether the cap is reached (and not yet relieved). */
    boolean atCap() {
        return atCap;
    }

    /** Connections closed to make room or give memory back (idle or slow while pressed). */
    long closed() {
        return closed.sum();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        heap.start();
        scheduleSweep();
    }

    @Override
    protected void doStop() throws Exception {
        Scheduler.Task task = sweep;
        sweep = null;
        if (task != null) {
            task.cancel();
        }
        heap.stop();
        super.doStop();
    }

    /** Called by Jetty, under its lock, when the connections reach the cap: it then stops accepting. */
    @Override
    protected void limit() {
        limitedAt = System.nanoTime();
        if (!atCap) {
            atCap = true;
            LOG.warn("Connection cap reached ({} open): new connections wait until held ones turn over",
                    getNetworkConnectionCount());
        }
        super.limit();
    }

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        if (pressed()) {
            responseHeaders.put(CLOSE);
        }
        return request;
    }

    private void scheduleSweep() {
        if (isRunning() || isStarting()) {
            sweep = connector.getScheduler().schedule(this::sweepAndReschedule, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void sweepAndReschedule() {
        try {
            heap.recheck();
            sweep();
        } catch (RuntimeException e) {
            LOG.warn("Connection sweep failed", e);
        }
        scheduleSweep();
    }

    /**
     * Follows the state (the cap lowered under heap pressure, restored after; pressed or not), and
     * while pressed closes the connections that hold memory without being answered.
     */
    synchronized void sweep() {
        boolean heapHigh = heap.isHigh();
        if (heapHigh && !lowered) {
            lowered = true;
            int open = getNetworkConnectionCount();
            setMaxNetworkConnectionCount(Math.max(1, Math.min(max, open)));
            LOG.warn("The heap is nearly full ({} of the old generation live): closing idle and slow connections,"
                    + " cap lowered to the {} open", heap.describe(), open);
        } else if (!heapHigh && lowered) {
            lowered = false;
            setMaxNetworkConnectionCount(max);
            LOG.info("The heap has room again ({} live): connection cap back at {}", heap.describe(), max);
        }
        if (atCap && !heapHigh && System.nanoTime() - limitedAt >= TimeUnit.MILLISECONDS.toNanos(RELIEF_MILLIS)) {
            atCap = false;
            LOG.info("Below the connection cap again ({} open, {} closed to make room so far)",
                    getNetworkConnectionCount(), closed());
        }
        if (!pressed()) {
            return;
        }
        long now = System.currentTimeMillis();
        for (EndPoint endPoint : connector.getConnectedEndPoints()) {
            if (heapHigh ? notAnswered(endPoint) && now - endPoint.getCreatedTimeStamp() >= FRESH_MILLIS
                    : idleOrSlow(endPoint, now)) {
                closed.increment();
                endPoint.close();
            }
        }
    }

    /** Open, and neither being answered nor with a request parsed: idle, or sending a request's head. */
    private static boolean notAnswered(EndPoint endPoint) {
        return endPoint.isOpen() && endPoint.getConnection() instanceof HttpConnection http
                && http.getHttpChannel().getRequest() == null && http.getParser().inHeaderState();
    }

    /** Not answered, and idle a while between requests, or slow to send a request's head. */
    private static boolean idleOrSlow(EndPoint endPoint, long nowMillis) {
        if (!notAnswered(endPoint)) {
            return false;
        }
        HttpParser parser = ((HttpConnection) endPoint.getConnection()).getParser();
        if (parser.isStart()) {
            return endPoint instanceof IdleTimeout idle && idle.getIdleFor() >= IDLE_MILLIS;
        }
        return nowMillis - endPoint.getCreatedTimeStamp() >= HEAD_MILLIS;
    }
}
