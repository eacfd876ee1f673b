package dev.apikeyauth.http;

import dev.apikeyauth.auth.Authenticator;
import dev.apikeyauth.docs.OpenApi;
import dev.apikeyauth.docs.SwaggerUi;
import dev.apikeyauth.keys.KeyStore;
import dev.apikeyauth.ops.Health;
import dev.apikeyauth.ops.Metrics;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.javalin.http.MethodNotAllowedResponse;
import io.javalin.util.ConcurrencyUtil;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one factory of the service: builds the unstarted Javalin app with every route, guard and
 * error mapping. {@code main} starts it on the configured port; the tests start it on port 0.
 */
public final class App {
    /**
     * Paths served without a key, matched exactly: the health probe, the OpenAPI document, the
     * docs page and each of its files by name (no prefix rule, so nothing else under {@code /docs/}
     * and no {@code ..} or encoded variant is public). Everything else, existing or not, needs one.
     */
    public static final Set<String> PUBLIC_PATHS = publicPaths();
    /** The path templates of the routes below: the metrics' route label is one of these or "unmatched". */
    static final List<String> ROUTE_TEMPLATES = List.of(
            "/", "/health", "/metrics", OpenApi.PATH, SwaggerUi.PAGE, SwaggerUi.ASSET_ROUTE);
    /** The header size limit, request line included (CONTRACT §1: over 8 KiB is 431). */
    static final int MAX_HEADER_BYTES = 8 * 1024;
    /**
     * A connection that sends nothing for this long is closed, whether it is between requests or
     * in the middle of one (a slowloris client sending headers a byte at a time resets it, but
     * costs only a socket and a buffer: Jetty reads asynchronously, no thread waits on it).
     */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** A request body slower than this (bytes/s) is abandoned: no route reads bodies anyway. */
    static final long MIN_REQUEST_DATA_RATE = 1024;

    private static final Logger LOG = LoggerFactory.getLogger(App.class);

    private App() {
    }

    /** Builds the app; call {@code start(host, port)} on the result. */
    public static Javalin create(Services services) {
        Authenticator authenticator = new Authenticator(services.keys(), services.clock());
        Metrics metrics = services.metrics();
        metrics.bind(services.keys());
        RequestMetrics requestMetrics = new RequestMetrics(metrics, ROUTE_TEMPLATES);
        Gate gate = new Gate(authenticator, PUBLIC_PATHS, requestMetrics.andThen(services.authListener()),
                requestMetrics, services.hello() == HELLO);
        AuthGuard guard = new AuthGuard(PUBLIC_PATHS);
        Handler openApi = openApiOnFirstRequest();
        Handler health = ctx -> Responses.send(ctx,
                services.health().isUp() ? 200 : 503,
                services.health().isUp() ? Responses.UP : Responses.DOWN);

        AtomicReference<Server> jetty = new AtomicReference<>();
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.prefer405over404 = true;
            // Exact paths: "/health/" or "//" are not "/health" or "/", so the routes, the public
            // list and the OpenAPI document all name the same strings.
            config.router.ignoreTrailingSlashes = false;
            config.router.treatMultipleSlashesAsSingleSlash = false;
            config.http.defaultContentType = Responses.JSON;
            // The gate answers the hot requests on the thread that read them; the pool only runs
            // what goes on to Javalin, so a few threads do (Javalin's default is up to 250).
            config.jetty.threadPool = ConcurrencyUtil.jettyThreadPool("JettyServerThreadPool", 2, 16, false);
            config.jetty.modifyHttpConfiguration(http -> {
                http.setSendServerVersion(false);
                http.setSendXPoweredBy(false);
                http.setRequestHeaderSize(MAX_HEADER_BYTES);
                http.setIdleTimeout(services.idleTimeout().toMillis());
                setMinRequestDataRate(http);
            });
            config.jetty.modifyServer(server -> {
                // Javalin attaches its servlet inside the innermost wrapper, the gate. On stop the
                // graceful handler lets in-flight requests finish (up to the stop timeout) while
                // new ones are refused.
                server.setHandler(new GracefulHandler(new AsteriskTarget(gate)));
                server.setStopTimeout(services.shutdownTimeout().toMillis());
                server.setErrorHandler(new JsonErrorHandler());
                jetty.set(server);
            });
            // Javalin adds its connector at start; give it the idle timeout before it accepts.
            config.events.serverStarting(() -> {
                for (var connector : jetty.get().getConnectors()) {
                    if (connector instanceof AbstractConnector network) {
                        network.setIdleTimeout(services.idleTimeout().toMillis());
                    }
                }
            });

            config.routes.before(guard);

            config.routes.get("/", services.hello());
            config.routes.head("/", services.hello());
            config.routes.get("/health", health);
            config.routes.get("/metrics", ctx -> ctx.contentType(Metrics.CONTENT_TYPE).result(metrics.scrape()));
            config.routes.get(OpenApi.PATH, openApi);
            config.routes.get(SwaggerUi.PAGE, SwaggerUi::page);
            config.routes.get(SwaggerUi.ASSET_ROUTE, SwaggerUi::asset);

            config.routes.exception(ApiError.class, (e, ctx) -> {
                if (e.wwwAuthenticate() != null) {
                    ctx.header("WWW-Authenticate", e.wwwAuthenticate());
                }
                Responses.send(ctx, e.status(), e.body());
            });
            config.routes.exception(HttpResponseException.class, App::routingError);
            config.routes.exception(Exception.class, (e, ctx) -> internalError(ctx, e));
            config.router.javaLangErrorHandler((res, error) -> {
                LOG.error("Unhandled error", error);
                res.setStatus(500);
                res.setContentType(Responses.JSON);
                try {
                    res.getOutputStream().write(Responses.INTERNAL_ERROR);
                } catch (java.io.IOException ignored) {
                    // the client is gone; nothing left to tell it
                }
            });
            config.requestLogger.http((ctx, millis) -> AccessLog.log(ctx, millis, requestMetrics.route(ctx.path())));
            config.requestLogger.http(requestMetrics::record);
            config.events.serverStopped(metrics::close);
        });
    }

    /**
     * {@code GET /openapi.json}, with the document built on its first request rather than at
     * start-up: building it loads Jackson (~500 classes), which no request a cold instance must
     * answer quickly needs, and keeps Jackson out of the AOT cache.
     */
    private static Handler openApiOnFirstRequest() {
        AtomicReference<OpenApi> document = new AtomicReference<>();
        return ctx -> {
            OpenApi built = document.get();
            if (built == null) {
                document.compareAndSet(null, OpenApi.create());
                built = document.get();
            }
            built.serve(ctx);
        };
    }

    private static Set<String> publicPaths() {
        Set<String> paths = new HashSet<>(Set.of("/health", OpenApi.PATH, SwaggerUi.PAGE));
        SwaggerUi.ASSETS.keySet().forEach(name -> paths.add(SwaggerUi.ASSET_PREFIX + name));
        return Set.copyOf(paths);
    }

    /**
     * Jetty 12.1 marks this setting for removal in favour of a per-request handler
     * ({@code StatisticsHandler.MinimumDataRateHandler}) that every request would pass through;
     * no route reads a body, so the setting stays as a cheap backstop until Jetty drops it.
     */
    @SuppressWarnings("removal")
    private static void setMinRequestDataRate(org.eclipse.jetty.server.HttpConfiguration http) {
        http.setMinRequestDataRate(MIN_REQUEST_DATA_RATE);
    }

    /** Javalin's own 404 and 405, rewritten to the contract's bodies. */
    private static void routingError(HttpResponseException e, Context ctx) {
        if (e instanceof MethodNotAllowedResponse) {
            String allow = e.getDetails().getOrDefault("availableMethods",
                    e.getDetails().getOrDefault("Available methods", ""));
            ctx.header("Allow", allow);
            Responses.send(ctx, 405, Responses.METHOD_NOT_ALLOWED);
        } else if (e.getStatus() == 404) {
            Responses.send(ctx, 404, Responses.NOT_FOUND);
        } else {
            Responses.send(ctx, e.getStatus(), Responses.detailBody(
                    Objects.requireNonNullElse(org.eclipse.jetty.http.HttpStatus.getMessage(e.getStatus()), "Error")));
        }
    }

    private static void internalError(Context ctx, Exception e) {
        LOG.error("Unhandled exception in request {}", ctx.<String>attribute(RequestIds.ATTRIBUTE), e);
        Responses.send(ctx, 500, Responses.INTERNAL_ERROR);
    }

    /** The standard greeting; with it, the {@link Gate} answers {@code GET /} and {@code HEAD /} itself. */
    static final Handler HELLO = App::hello;

    /** {@code GET /} and {@code HEAD /}: the FastAPI example's greeting. */
    static void hello(Context ctx) {
        Responses.send(ctx, 200, Responses.HELLO);
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
     */
    public record Services(KeyStore keys, Clock clock, Health health, Handler hello,
                           Duration shutdownTimeout, AuthListener authListener, Metrics metrics,
                           Duration idleTimeout) {

        public Services {
            Objects.requireNonNull(keys, "keys");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(health, "health");
            Objects.requireNonNull(hello, "hello");
            Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
            Objects.requireNonNull(authListener, "authListener");
            Objects.requireNonNull(metrics, "metrics");
            Objects.requireNonNull(idleTimeout, "idleTimeout");
        }

        /** The production collaborators around {@code keys}. */
        public static Services of(KeyStore keys) {
            return new Services(keys, Clock.systemUTC(), new Health(), HELLO, Duration.ofSeconds(8),
                    AuthListener.NONE, new Metrics(), DEFAULT_IDLE_TIMEOUT);
        }

        public Services withKeys(KeyStore value) {
            return new Services(value, clock, health, hello, shutdownTimeout, authListener, metrics, idleTimeout);
        }

        public Services withClock(Clock value) {
            return new Services(keys, value, health, hello, shutdownTimeout, authListener, metrics, idleTimeout);
        }

        public Services withHealth(Health value) {
            return new Services(keys, clock, value, hello, shutdownTimeout, authListener, metrics, idleTimeout);
        }

        public Services withHello(Handler value) {
            return new Services(keys, clock, health, value, shutdownTimeout, authListener, metrics, idleTimeout);
        }

        public Services withShutdownTimeout(Duration value) {
            return new Services(keys, clock, health, hello, value, authListener, metrics, idleTimeout);
        }

        public Services withAuthListener(AuthListener value) {
            return new Services(keys, clock, health, hello, shutdownTimeout, value, metrics, idleTimeout);
        }

        public Services withMetrics(Metrics value) {
            return new Services(keys, clock, health, hello, shutdownTimeout, authListener, value, idleTimeout);
        }

        public Services withIdleTimeout(Duration value) {
            return new Services(keys, clock, health, hello, shutdownTimeout, authListener, metrics, value);
        }
    }
}
