package dev.apikeyauth.http;

import dev.apikeyauth.auth.Authenticator;
import dev.apikeyauth.keys.KeySet;
import dev.apikeyauth.keys.KeyStore;
import dev.apikeyauth.ops.Health;
import dev.apikeyauth.ops.Metrics;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.javalin.http.MethodNotAllowedResponse;
import io.javalin.util.ConcurrencyUtil;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one factory of the service: builds the unstarted Javalin app with every route, the guard and
 * the error mapping. {@code main} starts it on the configured port; the tests start it on port 0.
 *
 * <p>A request's way through: Jetty accepts its connection within the {@link ConnectionCap} and
 * parses it within the {@link HeadLimits} (refusing what it can't parse through
 * {@link JsonErrorHandler}); the {@link Admission} lets it on into Javalin when it is its turn;
 * Javalin's {@code before} handler, the {@link Guard}, decides
 * authentication for every request, matched or not; the route's handler answers through
 * {@link Responses}; any exception is mapped once, by {@link #answerError}; the
 * {@link RequestLog} writes the access-log line and counts the request.
 */
public final class App {
    /** The header size limit, request line included (CONTRACT §1: over 8 KiB is 431). */
    static final int MAX_HEADER_BYTES = 8 * 1024;
    /**
     * A connection that sends nothing for this long is closed, whether it is between requests or
     * in the middle of one (a slowloris client sending headers a byte at a time resets it, but
     * costs only a socket and a buffer: Jetty reads asynchronously, no thread waits on it).
     */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    /**
     * Once a stop begins, a connection idle this long is closed: keep-alive connections between
     * requests (a platform's proxy keeps many) would otherwise hold the drain for Jetty's default
     * second or more, however quickly the requests in flight finish. A request in flight keeps
     * its connection until it is answered, whatever this says (tested by {@code ShutdownTest}).
     */
    static final Duration SHUTDOWN_IDLE_TIMEOUT = Duration.ofMillis(100);
    /** A request body slower than this (bytes/s) is abandoned: no route reads bodies anyway. */
    static final long MIN_REQUEST_DATA_RATE = 1024;
    /** How long a request may wait for its turn into the app under load before it is answered 503. */
    static final Duration ADMISSION_WAIT = Duration.ofSeconds(1);
    /**
     * Each connection's socket send buffer. The kernel would grow it to megabytes on its own, and
     * copy a large answer (the Swagger UI bundle) into it at once, in the handler's turn: for a
     * client that never reads, that is kernel memory charged to the container, and CPU spent while
     * other requests wait for the turn (bench/RESULTS.md). 64 KiB still sends 64 MB/s over a 1 ms
     * round trip.
     */
    static final int SEND_BUFFER = 64 * 1024;
    /** The accept backlog asked of the kernel, which caps it at net.core.somaxconn (4096 on Linux 5.4+). */
    static final int ACCEPT_QUEUE = 4096;
    /**
     * The most buffer memory the pool keeps for reuse once released, of each kind (Jetty's default
     * is an eighth of the heap, which a burst of connections would leave allocated after it ends).
     */
    static final long POOL_RETAINED_BYTES = 2 * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(App.class);

    private App() {
    }

    /** Builds the app; call {@code start(host, port)} on the result. */
    public static Javalin create(Services services) {
        Metrics metrics = services.metrics();
        metrics.bind(services.keys());
        List<Route> routes = Routes.of(services);
        AuthListener listener = services.authListener();
        Guard guard = new Guard(new Authenticator(services.keys(), services.clock()), Routes.publicPaths(routes),
                Routes.requiredScopes(routes), services.keyHeader().orElse(null), result -> {
                    metrics.recordAuthentication(result.outcome(), result.identity());
                    listener.onAuthentication(result);
                });

        AtomicReference<ConnectionCap> cap = new AtomicReference<>();
        Admission admission = new Admission(Admission.defaultLimit(), ADMISSION_WAIT, Routes.HEALTH,
                () -> cap.get() != null && cap.get().atCap(), new AsteriskTarget());
        HeadLimits heads = new HeadLimits(ConnectionCap.headsBudget(Runtime.getRuntime().maxMemory()));
        metrics.bindLoad(() -> cap.get() == null ? 0 : cap.get().getNetworkConnectionCount(),
                services.maxConnections(), admission::shed,
                () -> (cap.get() == null ? 0 : cap.get().closed()) + heads.cut());
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.prefer405over404 = true;
            // Every body is written once, as it is (the Swagger UI files were compressed when first
            // read): nothing is compressed per request.
            config.http.compressionStrategy = CompressionStrategy.NONE;
            // Exact paths: "/health/" or "//" are not "/health" or "/", so the routes, the public
            // paths and the OpenAPI document all name the same strings.
            config.router.ignoreTrailingSlashes = false;
            config.router.treatMultipleSlashesAsSingleSlash = false;
            config.http.defaultContentType = Responses.JSON;
            // Handlers never wait on a client (Responses writes without blocking), so the pool
            // only runs short CPU work; a few threads do (Javalin's default is up to 250).
            config.jetty.threadPool = ConcurrencyUtil.jettyThreadPool("JettyServerThreadPool", 2, 16, false);
            config.jetty.modifyHttpConfiguration(http -> {
                http.setSendServerVersion(false);
                http.setSendXPoweredBy(false);
                http.setRequestHeaderSize(MAX_HEADER_BYTES);
                http.setIdleTimeout(services.idleTimeout().toMillis());
                setMinRequestDataRate(http);
                if (!services.trustedProxies().isNone()) {
                    http.addCustomizer(new ForwardedClient(services.trustedProxies()));
                }
                // What one open connection holds (bench/RESULTS.md, "Memory per connection"). Jetty
                // gives each connection a header-field cache, a trie of 1,024 rows (96 KiB) once it
                // has answered two requests, that only spares re-parsing a few repeated headers; it
                // was nearly all of a kept-alive connection's memory.
                http.setHeaderCacheSize(0);
                // Buffers from the heap, so that all a connection costs counts against the heap the
                // cap is derived from (direct buffers live outside it).
                http.setUseInputDirectByteBuffers(false);
                http.setUseOutputDirectByteBuffers(false);
            });
            // The one connector, as Javalin would add it, but with the service's buffer pool, accept
            // backlog, limits on requests' heads, and connection cap.
            config.jetty.addConnector((server, http) -> {
                ServerConnector connector = new ServerConnector(server, null, null, bufferPool(), -1, -1,
                        heads.connectionFactory(http));
                connector.setHost(config.jetty.host);
                connector.setPort(config.jetty.port);
                connector.setIdleTimeout(services.idleTimeout().toMillis());
                connector.setShutdownIdleTimeout(SHUTDOWN_IDLE_TIMEOUT.toMillis());
                // At the cap, new connections wait here, in order, costing the heap nothing.
                connector.setAcceptQueueSize(ACCEPT_QUEUE);
                connector.setAcceptedSendBufferSize(SEND_BUFFER);
                ConnectionCap limit = new ConnectionCap(services.maxConnections(), connector);
                server.addBean(limit);
                http.addCustomizer(limit);
                cap.set(limit);
                return connector;
            });
            config.jetty.modifyServer(server -> {
                // Javalin attaches its servlet inside the innermost wrapper. On stop the graceful
                // handler lets in-flight requests finish (up to the stop timeout) while new ones
                // are refused; the admission rations what goes on into Javalin.
                server.setHandler(new GracefulHandler(admission));
                server.setStopTimeout(services.shutdownTimeout().toMillis());
                server.setErrorHandler(new JsonErrorHandler());
            });

            config.jetty.modifyServletContextHandler(context ->
                    context.setAttribute(Responses.WRITE_TIMEOUT_ATTRIBUTE, services.writeTimeout()));

            config.routes.before(guard);
            Routes.register(routes, config.routes);

            config.routes.exception(HttpResponseException.class, App::answerError);
            config.routes.exception(Exception.class, App::answerError);
            config.router.javaLangErrorHandler((res, error) -> {
                LOG.error("Unhandled error", error);
                if (!res.isCommitted()) {
                    res.setHeader(Guard.NOSNIFF_HEADER, "nosniff");
                    Responses.send(null, res, 500, Responses.JSON, ByteBuffer.wrap(ApiError.INTERNAL_ERROR.body()));
                }
            });
            RequestLog requestLog = new RequestLog(metrics, routes, config.router,
                    services.cloudProject().orElse(null));
            config.requestLogger.http(requestLog::log);
            config.events.serverStopped(metrics::close);
        });
    }

    /**
     * The one exception mapper: the guard's refusals as they are, Javalin's 404 and 405 as the
     * contract's bodies (405 with the path's methods in {@code Allow}), anything else as a 500
     * that says nothing of the cause (which is logged).
     */
    static void answerError(Exception e, Context ctx) {
        ApiError error;
        if (e instanceof ApiError refusal) {
            error = refusal;
        } else if (e instanceof MethodNotAllowedResponse notAllowed) {
            ctx.res().setHeader("Allow", notAllowed.getDetails().getOrDefault("availableMethods",
                    notAllowed.getDetails().getOrDefault("Available methods", "")));
            error = ApiError.METHOD_NOT_ALLOWED;
        } else if (e instanceof HttpResponseException response) {
            error = ApiError.forStatus(response.getStatus());
        } else {
            LOG.error("Unhandled exception in request {}", ctx.<String>attribute(RequestIds.ATTRIBUTE), e);
            error = ApiError.INTERNAL_ERROR;
        }
        Responses.error(ctx, error);
    }

    /** Jetty's default pool, keeping at most {@link #POOL_RETAINED_BYTES} of each kind once released. */
    private static ArrayByteBufferPool bufferPool() {
        return new ArrayByteBufferPool(0, -1, -1, Integer.MAX_VALUE, POOL_RETAINED_BYTES, POOL_RETAINED_BYTES);
    }

    /**
     * Jetty 12.1 marks this setting for removal in favour of a per-request handler
     * ({@code MinimumDataRateHandler}) that every request would pass through; no route reads a
     * body, so the setting stays as a cheap backstop until Jetty drops it.
     */
    @SuppressWarnings("removal")
    private static void setMinRequestDataRate(org.eclipse.jetty.server.HttpConfiguration http) {
        http.setMinRequestDataRate(MIN_REQUEST_DATA_RATE);
    }

    /** The standard handler of {@code GET /} and {@code HEAD /}: the FastAPI example's greeting. */
    static final Handler HELLO = ctx -> Responses.json(ctx, 200, Responses.HELLO);

    /**
     * The connection cap for a heap of {@code maxHeapBytes} ({@link Runtime#maxMemory()}), when
     * {@code MAX_CONNECTIONS} does not set it: see {@link ConnectionCap#defaultMax}.
     */
    public static int defaultMaxConnections(long maxHeapBytes) {
        return ConnectionCap.defaultMax(maxHeapBytes);
    }

    /** The routes of an app built from {@code services}, for tests that check what is derived from them. */
    public static List<Route> routes(Services services) {
        return Routes.of(services);
    }

    /** The exact paths served without a key, derived from the route list (for the tests of what derives from it). */
    public static Set<String> publicPaths() {
        return PublicPaths.ALL;
    }

    /** Worked out once, on first use: the handlers of a throwaway route list are never called. */
    private static final class PublicPaths {
        static final Set<String> ALL = Routes.publicPaths(Routes.of(Services.of(KeyStore.fixed(KeySet.of(List.of())))));
    }

    /**
     * What the app is built from. Production passes the real collaborators; tests may pass others
     * (a key store that throws, a slow greeting) to reach rows like 500 or drain-on-stop.
     *
     * @param keys            the keys in force
     * @param clock           the time used for key expiry
     * @param health          flipped to down when shutdown begins
     * @param hello           the handler of {@code GET /} and {@code HEAD /}
     * @param shutdownTimeout how long in-flight requests may finish on stop
     * @param authListener    told of each authentication outcome (besides the metrics)
     * @param metrics         the meters {@code /metrics} shows; the app closes them when it stops
     * @param idleTimeout     how long a silent connection is kept
     * @param writeTimeout    how long one response may take to reach a client that reads slowly
     * @param keyHeader       the header whose whole value is also accepted as a key
     *                        ({@code AUTH_API_KEY_HEADER}), if any
     * @param trustedProxies  the peers whose forwarding headers name the caller's address
     * @param cloudProject    the Google Cloud project the access log's trace fields name, if any
     * @param maxConnections  the most connections open at once ({@code MAX_CONNECTIONS}, by default
     *                        derived from the heap: {@link #defaultMaxConnections})
     */
    public record Services(KeyStore keys, Clock clock, Health health, Handler hello,
                           Duration shutdownTimeout, AuthListener authListener, Metrics metrics,
                           Duration idleTimeout, Duration writeTimeout, Optional<String> keyHeader,
                           TrustedProxies trustedProxies, Optional<String> cloudProject, int maxConnections) {

        public Services {
            Objects.requireNonNull(keys, "keys");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(health, "health");
            Objects.requireNonNull(hello, "hello");
            Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
            Objects.requireNonNull(authListener, "authListener");
            Objects.requireNonNull(metrics, "metrics");
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            Objects.requireNonNull(writeTimeout, "writeTimeout");
            Objects.requireNonNull(keyHeader, "keyHeader");
            Objects.requireNonNull(trustedProxies, "trustedProxies");
            Objects.requireNonNull(cloudProject, "cloudProject");
            if (maxConnections < 1) {
                throw new IllegalArgumentException("maxConnections must be positive, got " + maxConnections);
            }
        }

        /** The production collaborators around {@code keys}. */
        public static Services of(KeyStore keys) {
            return builder(keys).build();
        }

        /** A builder that starts from the production collaborators around {@code keys}. */
        public static Builder builder(KeyStore keys) {
            return new Builder(keys);
        }

        /** A builder that starts from these services. */
        public Builder toBuilder() {
            Builder builder = new Builder(keys);
            builder.clock = clock;
            builder.health = health;
            builder.hello = hello;
            builder.shutdownTimeout = shutdownTimeout;
            builder.authListener = authListener;
            builder.metrics = metrics;
            builder.idleTimeout = idleTimeout;
            builder.writeTimeout = writeTimeout;
            builder.keyHeader = keyHeader.orElse(null);
            builder.trustedProxies = trustedProxies;
            builder.cloudProject = cloudProject;
            builder.maxConnections = maxConnections;
            return builder;
        }

        /** Services with defaults for whatever is not set. */
        public static final class Builder {
            private KeyStore keys;
            private Clock clock = Clock.systemUTC();
            private Health health;
            private Handler hello = HELLO;
            private Duration shutdownTimeout = Duration.ofSeconds(8);
            private AuthListener authListener = AuthListener.NONE;
            private Metrics metrics;
            private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
            private Duration writeTimeout = Responses.WRITE_TIMEOUT;
            private String keyHeader;
            private TrustedProxies trustedProxies = TrustedProxies.NONE;
            private Optional<String> cloudProject = Optional.empty();
            private int maxConnections;

            private Builder(KeyStore keys) {
                this.keys = keys;
            }

            public Builder keys(KeyStore value) {
                keys = value;
                return this;
            }

            public Builder clock(Clock value) {
                clock = value;
                return this;
            }

            public Builder health(Health value) {
                health = value;
                return this;
            }

            public Builder hello(Handler value) {
                hello = value;
                return this;
            }

            public Builder shutdownTimeout(Duration value) {
                shutdownTimeout = value;
                return this;
            }

            public Builder authListener(AuthListener value) {
                authListener = value;
                return this;
            }

            public Builder metrics(Metrics value) {
                metrics = value;
                return this;
            }

            public Builder idleTimeout(Duration value) {
                idleTimeout = value;
                return this;
            }

            public Builder writeTimeout(Duration value) {
                writeTimeout = value;
                return this;
            }

            /** The header whose whole value is also a key, or {@code null} for {@code Authorization} only. */
            public Builder keyHeader(String value) {
                keyHeader = value;
                return this;
            }

            public Builder trustedProxies(TrustedProxies value) {
                trustedProxies = value;
                return this;
            }

            public Builder cloudProject(Optional<String> value) {
                cloudProject = value;
                return this;
            }

            /** The connection cap; unset (or 0), it is derived from the heap. */
            public Builder maxConnections(int value) {
                maxConnections = value;
                return this;
            }

            public Services build() {
                return new Services(keys, clock, health == null ? new Health() : health, hello, shutdownTimeout,
                        authListener, metrics == null ? new Metrics() : metrics, idleTimeout, writeTimeout,
                        Optional.ofNullable(keyHeader), trustedProxies, cloudProject,
                        maxConnections == 0 ? defaultMaxConnections(Runtime.getRuntime().maxMemory()) : maxConnections);
            }
        }
    }
}
