package dev.apikeyauth.ops;

import dev.apikeyauth.auth.Outcome;
import dev.apikeyauth.keys.KeySet;
import dev.apikeyauth.keys.KeyStore;
import dev.apikeyauth.keys.ReloadListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The service's meters, exposed in the Prometheus text format: requests, authentication outcomes,
 * key reloads, active keys, and JVM and process basics.
 *
 * <p>Every label value comes from a bounded set the service controls (route templates, standard
 * methods, statuses the app answers, outcomes, key identities), never from the raw request, so a
 * caller cannot grow the series count. Meters are created once per label combination and cached;
 * the per-request path is a map lookup and a record.
 */
public final class Metrics implements ReloadListener, AutoCloseable {
    /** The content type of {@link #scrape()}: Prometheus text exposition format 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** The route label of a request whose path matches no route. */
    public static final String UNMATCHED = "unmatched";
    /** The method label of any method outside {@link #METHODS}. */
    public static final String OTHER_METHOD = "other";
    /** The methods that are their own label value. */
    public static final Set<String> METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT");
    /** The scope a key needs to read {@code /metrics}: it names every caller's identity. */
    public static final String SCOPE = "metrics";
    /** The identity label when no key matched. */
    public static final String NO_IDENTITY = "-";

    static final String REQUESTS = "http.server.requests";
    static final String AUTHENTICATIONS = "apikeyauth.authentications";
    static final String RELOADS = "apikeyauth.key.reloads";
    static final String RELOAD_FAILURES = "apikeyauth.key.reload.failures";
    static final String ACTIVE_KEYS = "apikeyauth.active.keys";
    static final String CONNECTIONS = "apikeyauth.connections";
    static final String CONNECTIONS_MAX = "apikeyauth.connections.max";
    static final String SHED_REQUESTS = "apikeyauth.shed.requests";
    static final String SHED_CONNECTIONS = "apikeyauth.shed.connections";

    /**
     * Latency buckets, in the range a key check and a small JSON body take (well under a
     * millisecond) up to a stalled client; 12 buckets keep each route/method/status series cheap.
     */
    private static final Duration[] BUCKETS = {
        Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2),
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofSeconds(5),
    };

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<RequestKey, Timer> requests = new ConcurrentHashMap<>();
    private final Map<Outcome, Map<String, Counter>> authentications = new EnumMap<>(Outcome.class);
    private final Counter reloads;
    private final Counter reloadFailures;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final AtomicBoolean bound = new AtomicBoolean();
    private final List<Object> loadSources = new CopyOnWriteArrayList<>();

    /**
     * A fresh registry with the service's own meters, all at 0: cheap, and nothing outside it
     * refers to it until {@link #bind} is called.
     */
    public Metrics() {
        for (Outcome outcome : Outcome.values()) {
            authentications.put(outcome, new ConcurrentHashMap<>());
            // Outcomes without a key exist from the start, so a rate over them is defined at once.
            if (outcome != Outcome.OK && outcome != Outcome.EXPIRED && outcome != Outcome.INSUFFICIENT_SCOPE) {
                authenticationCounter(outcome, NO_IDENTITY);
            }
        }
        reloads = Counter.builder(RELOADS)
                .description("Times the keys file was re-read and its new keys put in force")
                .register(registry);
        reloadFailures = Counter.builder(RELOAD_FAILURES)
                .description("Times a changed keys file could not be loaded; the last good keys stayed in force")
                .register(registry);
    }

    /**
     * Adds the gauges that read live state: the number of keys in {@code keys}' current set, and
     * the JVM and process basics (whose GC listeners {@link #close()} removes). Once only: later
     * calls do nothing.
     */
    public void bind(KeyStore keys) {
        if (!bound.compareAndSet(false, true)) {
            return;
        }
        Gauge.builder(ACTIVE_KEYS, keys, store -> store.current().size())
                .description("Keys in the set in force, including any past their expiry until removed")
                .register(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /**
     * Adds the meters of the connection cap and of shedding under load, read at each scrape.
     *
     * @param open         the connections open now
     * @param max          the connection cap
     * @param shedRequests requests answered 503 because the service was too busy to take them
     * @param shedConnections connections closed to make room at the cap or with the heap nearly full
     */
    public void bindLoad(IntSupplier open, int max, LongSupplier shedRequests, LongSupplier shedConnections) {
        // Micrometer holds what a gauge or function counter reads weakly: these lambdas would be
        // collected, and the meters freeze, at the first GC.
        loadSources.addAll(List.of(open, shedRequests, shedConnections));
        Gauge.builder(CONNECTIONS, open, source -> source.getAsInt())
                .description("Open HTTP connections")
                .register(registry);
        Gauge.builder(CONNECTIONS_MAX, () -> max)
                .description("The cap on open connections (MAX_CONNECTIONS, or derived from the heap)")
                .register(registry);
        FunctionCounter.builder(SHED_REQUESTS, shedRequests, source -> source.getAsLong())
                .description("Requests answered 503 because the service was too busy to take them in time")
                .register(registry);
        FunctionCounter.builder(SHED_CONNECTIONS, shedConnections, source -> source.getAsLong())
                .description("Connections closed to make room: idle or slow at the cap, or with the heap nearly full")
                .register(registry);
    }

    /**
     * Counts one request and its latency.
     *
     * @param route  a route template or {@link #UNMATCHED}: the caller guarantees a bounded set
     * @param method the request's method as sent; anything outside {@link #METHODS} is {@code other}
     * @param status the response status
     * @param nanos  how long the request took
     */
    public void recordRequest(String route, String method, int status, long nanos) {
        RequestKey key = new RequestKey(route, methodLabel(method), status);
        Timer timer = requests.get(key);
        if (timer == null) {
            timer = requests.computeIfAbsent(key, this::newRequestTimer);
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Counts one authentication decision.
     *
     * @param outcome  what was decided
     * @param identity the matched key's identity (never its value), or {@link #NO_IDENTITY}
     */
    public void recordAuthentication(Outcome outcome, String identity) {
        authenticationCounter(outcome, identity).increment();
    }

    @Override
    public void reloaded(KeySet keys) {
        reloads.increment();
    }

    @Override
    public void reloadFailed() {
        reloadFailures.increment();
    }

    /** Every meter in the Prometheus text format ({@link #CONTENT_TYPE}). */
    public String scrape() {
        return registry.scrape();
    }

    /** Detaches the GC listeners {@link #bind} installed in the JVM; the meters stay readable. */
    @Override
    public void close() {
        gc.close();
    }

    /** Maps a method to its label: itself when standard, else {@link #OTHER_METHOD}. */
    public static String methodLabel(String method) {
        return METHODS.contains(method) ? method : OTHER_METHOD;
    }

    private Counter authenticationCounter(Outcome outcome, String identity) {
        Map<String, Counter> byIdentity = authentications.get(outcome);
        Counter counter = byIdentity.get(identity);
        if (counter == null) {
            counter = byIdentity.computeIfAbsent(identity, id -> Counter.builder(AUTHENTICATIONS)
                    .description("Authentication decisions by result and key identity")
                    .tag("result", outcome.label())
                    .tag("identity", id)
                    .register(registry));
        }
        return counter;
    }

    private Timer newRequestTimer(RequestKey key) {
        return Timer.builder(REQUESTS)
                .description("HTTP requests by route template, method and status")
                .tag("route", key.route())
                .tag("method", key.method())
                .tag("status", Integer.toString(key.status()))
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }

    private record RequestKey(String route, String method, int status) {
    }
}
