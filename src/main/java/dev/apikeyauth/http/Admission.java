package dev.apikeyauth.http;

import java.time.Duration;
import java.util.Iterator;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Rations the app's work under load, so that a flood cannot make the health probe wait: Jetty reads
 * and parses every request cheaply, and only {@code limit} at a time go on into Javalin (the guard,
 * the route, the access log), which is where a request's CPU goes. The others wait their turn for at
 * most {@code maxWait}, in order of arrival; one still waiting then is answered 503, as is every one that
 * cannot start at once while {@code hurry} says so (at the connection cap, where a quick answer frees
 * a connection's place sooner: see {@link ConnectionCap}). {@code GET} and {@code HEAD} of the probe
 * path never wait.
 *
 * <p>In order of arrival: a request waits for those before it, at most {@code maxWait}, and none
 * is passed over for ever. (Newest first was tried: under steady full load, 64 wrk connections in the
 * container smoke test, it passed the oldest over until their 1 s ran out, and answered 503 to 85 of
 * 1.6 million requests that FIFO serves in milliseconds.)
 *
 * <p>A request holds its turn only while its handler runs, not while its answer travels to a
 * client that reads slowly ({@link Responses} writes without blocking), so slow readers cannot
 * take every turn. Without this, a flood of ten thousand connections on one CPU made each request,
 * the probe's included, wait behind every other one for its full cost (bench/RESULTS.md).
 *
 * <p>A request answered 503 here never reaches Javalin: it has no access-log line and no key check
 * (it learns nothing but that the service is busy); {@link #shed()} counts them for the metrics.
 *
 * <p>Why a Jetty handler in front of Javalin, when the guard is the one enforcement point: this
 * decides nothing about who may have what; its one answer is "busy", to callers with a key and
 * without alike ({@code OneEnforcementPointTest} holds it to that). Javalin has no way to hold a
 * request back without holding a thread, which is what must not happen here. Jetty's own
 * {@code QoSHandler} does this job and was measured first: it keeps a request's permit until its
 * answer has been written, so 200 clients that never read held every permit
 * ({@code SlowReadersTest} failed), and it answers a full queue 503 with an empty body, not the
 * contract's.
 */
final class Admission extends Handler.Wrapper {
    /** The 503 body, as the contract words every error. */
    static final byte[] BUSY = ApiError.forStatus(HttpStatus.SERVICE_UNAVAILABLE_503).body();
    private static final HttpField RETRY_AFTER = new HttpField(HttpHeader.RETRY_AFTER, "1");
    private static final HttpField NO_STORE = new HttpField(HttpHeader.CACHE_CONTROL, "no-store");
    private static final HttpField NOSNIFF = new HttpField(Guard.NOSNIFF_HEADER, "nosniff");
    /** How often requests that waited too long are looked for when no turn frees up to find them. */
    private static final long SWEEP_MILLIS = 100;

    private final int limit;
    private final long maxWaitNanos;
    private final String probePath;
    private final BooleanSupplier hurry;
    private final AtomicInteger turns;
    private final Deque<Waiting> waiting = new ConcurrentLinkedDeque<>();
    private final LongAdder shed = new LongAdder();
    private volatile Scheduler.Task sweep;

    /**
     * @param limit     how many requests may be in the app at once: its work is CPU only, so a few
     *                  per CPU keep every CPU busy
     * @param maxWait   how long a request may wait for its turn
     * @param probePath the path whose {@code GET} and {@code HEAD} never wait
     * @param hurry     whether a request that cannot start at once is answered 503 rather than waiting
     * @param next      the handler to ration
     */
    Admission(int limit, Duration maxWait, String probePath, BooleanSupplier hurry, Handler next) {
        super(next);
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
        this.limit = limit;
        this.maxWaitNanos = maxWait.toNanos();
        this.probePath = probePath;
        this.hurry = hurry;
        this.turns = new AtomicInteger(limit);
    }

    /** A limit for this machine: two requests in the app per CPU the JVM may use. */
    static int defaultLimit() {
        return 2 * Runtime.getRuntime().availableProcessors();
    }

    /** How many requests this handler answered 503. */
    long shed() {
        return shed.sum();
    }

    /** How many requests are waiting for their turn now. */
    int waiting() {
        return waiting.size();
    }

    int limit() {
        return limit;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        scheduleSweep();
    }

    @Override
    protected void doStop() throws Exception {
        Scheduler.Task task = sweep;
        sweep = null;
        if (task != null) {
            task.cancel();
        }
        super.doStop();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (isProbe(request)) {
            return super.handle(request, response, callback);
        }
        if (tryTakeTurn()) {
            return handleInTurn(request, response, callback);
        }
        if (maxWaitNanos <= 0 || hurry.getAsBoolean()) {
            refuse(request, response, callback);
            return true;
        }
        waiting.addLast(new Waiting(request, response, callback, System.nanoTime() + maxWaitNanos));
        // A turn may have come back between tryTakeTurn and add; whoever gives one back drains
        // after it, and so does this, so no request waits while a turn is free.
        drain();
        return true;
    }

    private boolean isProbe(Request request) {
        String method = request.getMethod();
        return probePath.equals(Request.getPathInContext(request))
                && (HttpMethod.GET.is(method) || HttpMethod.HEAD.is(method));
    }

    private boolean tryTakeTurn() {
        int free;
        do {
            free = turns.get();
            if (free <= 0) {
                return false;
            }
        } while (!turns.compareAndSet(free, free - 1));
        return true;
    }

    private boolean handleInTurn(Request request, Response response, Callback callback) throws Exception {
        try {
            return super.handle(request, response, callback);
        } finally {
            turns.incrementAndGet();
            drain();
        }
    }

    /** Gives free turns to waiting requests, oldest first; those that waited too long get a 503. */
    private void drain() {
        while (!waiting.isEmpty()) {
            if (!tryTakeTurn()) {
                return;
            }
            Waiting next = waiting.pollFirst();
            if (next == null || !next.claim()) {
                turns.incrementAndGet();
                continue;
            }
            if (next.expired(System.nanoTime())) {
                turns.incrementAndGet();
                refuse(next.request, next.response, next.callback);
                continue;
            }
            // Another thread runs it: this one may be deep in another request's completion.
            next.request.getContext().execute(() -> resume(next));
        }
    }

    private void resume(Waiting turn) {
        try {
            if (!handleInTurn(turn.request, turn.response, turn.callback)) {
                Response.writeError(turn.request, turn.response, turn.callback, HttpStatus.NOT_FOUND_404);
            }
        } catch (Throwable x) {
            Response.writeError(turn.request, turn.response, turn.callback, x);
        }
    }

    /** Answers the requests that waited too long while no turn freed up to find them. */
    private void sweep() {
        long now = System.nanoTime();
        for (Iterator<Waiting> it = waiting.iterator(); it.hasNext(); ) {
            Waiting next = it.next();
            if (next.expired(now) && next.claim()) {
                it.remove();
                refuse(next.request, next.response, next.callback);
            }
        }
        scheduleSweep();
    }

    private void scheduleSweep() {
        if (isRunning() || isStarting()) {
            sweep = getServer().getScheduler().schedule(this::sweep, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void refuse(Request request, Response response, Callback callback) {
        shed.increment();
        response.setStatus(HttpStatus.SERVICE_UNAVAILABLE_503);
        var headers = response.getHeaders();
        headers.put(RETRY_AFTER);
        headers.put(NO_STORE);
        headers.put(NOSNIFF);
        headers.put(RequestIds.HEADER, RequestIds.choose(request.getHeaders().get(RequestIds.HEADER)));
        Responses.send(response, callback, BUSY);
    }

    /** A request waiting for its turn; whoever claims it first (a turn or the sweep) answers it. */
    private static final class Waiting {
        final Request request;
        final Response response;
        final Callback callback;
        final long deadline;
        private final AtomicBoolean claimed = new AtomicBoolean();

        Waiting(Request request, Response response, Callback callback, long deadline) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.deadline = deadline;
        }

        boolean claim() {
            return claimed.compareAndSet(false, true);
        }

        boolean expired(long now) {
            return now - deadline >= 0;
        }
    }
}
