package dev.apikeyauth.http;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.HEAD;

import dev.apikeyauth.docs.Doc;
import dev.apikeyauth.docs.Doc.Answer;
import dev.apikeyauth.docs.OpenApi;
import dev.apikeyauth.docs.SwaggerUi;
import dev.apikeyauth.ops.Health;
import dev.apikeyauth.ops.Metrics;
import io.javalin.http.Context;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The service's routes, each declared once (see {@link Route}): adding a route is one entry here.
 * Everything else about routes — their registration, the public paths, the scopes they need, the
 * metrics' route label, the OpenAPI document — is derived from this list.
 */
final class Routes {
    /** The platform's probe path: {@link Admission} never makes it wait. */
    static final String HEALTH = "/health";

    private Routes() {
    }

    /** Every route, with its handler wired to {@code services}. */
    static List<Route> of(App.Services services) {
        Health health = services.health();
        Metrics metrics = services.metrics();
        List<Route> routes = new ArrayList<>();
        AtomicReference<byte[]> document = new AtomicReference<>();

        Doc greeting = Doc.of("hello", OpenApi.GREETING, "The greeting",
                Answer.json(200, "The caller's key is active", "Hello").example("{\"message\":\"Hello, World!\"}"));
        routes.add(Route.keyed(GET, "/", services.hello(), greeting));
        routes.add(Route.keyed(HEAD, "/", services.hello(), Doc.of("helloHead", OpenApi.GREETING,
                "The greeting's headers, no body",
                Answer.empty(200, "The caller's key is active; the headers of GET, no body"))));

        routes.add(Route.open(GET, HEALTH, ctx -> Responses.json(ctx, health.isUp() ? 200 : 503,
                health.isUp() ? Responses.UP : Responses.DOWN), Doc.of("health", OpenApi.OPERATIONS,
                "Whether the service should receive traffic",
                Answer.json(200, "Up", "Health").example("{\"status\":\"UP\"}"),
                Answer.json(503, "Shutdown has begun", "Health").example("{\"status\":\"DOWN\"}"))));

        routes.add(Route.scoped(GET, "/metrics", Metrics.SCOPE, ctx -> Responses.send(ctx.req(), ctx.res(), 200, Metrics.CONTENT_TYPE,
                ByteBuffer.wrap(metrics.scrape().getBytes(StandardCharsets.UTF_8))), Doc.of("metrics",
                OpenApi.OPERATIONS, "Prometheus metrics: requests, authentications, key reloads, active keys, JVM",
                Answer.body(200, "Prometheus text exposition format 0.0.4", "string", "text/plain"))));

        // Built on its first request, not at start-up: building it loads Jackson (~500 classes),
        // which no request a cold instance must answer quickly needs. Then served as built.
        routes.add(Route.open(GET, OpenApi.PATH, ctx -> {
            byte[] built = document.get();
            if (built == null) {
                document.compareAndSet(null, OpenApi.create(routes.stream().map(Route::operation).toList(),
                        services.keyHeader().orElse(null)));
                built = document.get();
            }
            Responses.json(ctx, 200, built);
        }, Doc.of("openApi", OpenApi.DOCUMENTATION, "This document",
                Answer.body(200, "The OpenAPI 3.1 document of every route", "object", OpenApi.JSON))));

        routes.add(Route.open(GET, SwaggerUi.PAGE, Routes::docsPage, Doc.of("docs", OpenApi.DOCUMENTATION,
                "Swagger UI, rendering this document",
                Answer.body(200, "An HTML page", "string", "text/html"))));

        routes.add(Route.open(GET, SwaggerUi.ASSET_ROUTE, Routes::docsAsset, Doc.of("docsAsset",
                OpenApi.DOCUMENTATION, "A file of the Swagger UI page",
                Answer.body(200, "The file; browsers may cache it for an hour", "string",
                        SwaggerUi.ASSETS.values().stream().map(type -> type.replace("; charset=utf-8", ""))
                                .distinct().sorted().toArray(String[]::new)),
                Answer.shared(404, "NotFound")).withParam("asset", List.copyOf(SwaggerUi.ASSETS.keySet()))));
        return List.copyOf(routes);
    }

    /** The exact paths served without a key: each open route's concrete paths. */
    static Set<String> publicPaths(List<Route> routes) {
        Set<String> paths = new HashSet<>();
        for (Route route : routes) {
            if (route.open()) {
                paths.addAll(route.concretePaths());
            }
        }
        return Set.copyOf(paths);
    }

    /**
     * The scope each method of each exact path needs, as the guard must know it before routing:
     * only entries that need one. {@code HEAD} of a {@code GET} route without a {@code HEAD} route of
     * its own needs what the {@code GET} needs, since Javalin answers it from the {@code GET} route.
     * A method the path has no route for needs no scope: it is answered 405, which names the path's
     * methods, as the public OpenAPI document already does.
     */
    static Map<String, Map<String, String>> requiredScopes(List<Route> routes) {
        Map<String, Map<String, String>> byPath = new HashMap<>();
        Set<String> heads = new HashSet<>();
        for (Route route : routes) {
            if (route.method() == HEAD) {
                heads.add(route.path());
            }
        }
        for (Route route : routes) {
            if (route.scope() == null) {
                continue;
            }
            Map<String, String> byMethod = byPath.computeIfAbsent(route.path(), path -> new HashMap<>());
            byMethod.put(route.method().name(), route.scope());
            if (route.method() == GET && !heads.contains(route.path())) {
                byMethod.put(HEAD.name(), route.scope());
            }
        }
        Map<String, Map<String, String>> frozen = new HashMap<>();
        byPath.forEach((path, byMethod) -> frozen.put(path, Map.copyOf(byMethod)));
        return Map.copyOf(frozen);
    }

    /** Registers each route with Javalin. */
    static void register(List<Route> routes, io.javalin.config.RoutesConfig config) {
        for (Route route : routes) {
            config.addHttpHandler(route.method(), route.path(), route.handler());
        }
    }

    private static void docsPage(Context ctx) {
        ctx.res().setHeader("Content-Security-Policy", SwaggerUi.CONTENT_SECURITY_POLICY);
        Responses.send(ctx.req(), ctx.res(), 200, SwaggerUi.HTML, SwaggerUi.page());
    }

    /**
     * One file of the page, by exact name, else the contract's 404. Sent gzip'd, as compressed
     * once, to a client that accepts gzip; never compressed per request.
     */
    private static void docsAsset(Context ctx) {
        SwaggerUi.Asset asset = SwaggerUi.asset(ctx.pathParam("asset"));
        if (asset == null) {
            throw ApiError.NOT_FOUND;
        }
        ctx.res().setHeader("Cache-Control", SwaggerUi.ASSET_CACHE_CONTROL);
        ByteBuffer body = asset.plain();
        if (asset.gzip() != null) {
            ctx.res().setHeader("Vary", "Accept-Encoding");
            if (AcceptEncoding.allowsGzip(ctx.req().getHeader("Accept-Encoding"))) {
                ctx.res().setHeader("Content-Encoding", "gzip");
                body = asset.compressed();
            }
        }
        Responses.send(ctx.req(), ctx.res(), 200, asset.contentType(), body);
    }
}
