package dev.apikeyauth.http;

import dev.apikeyauth.auth.Authenticator;
import dev.apikeyauth.ops.Metrics;
import io.javalin.config.RouterConfig;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.javalin.router.matcher.PathParser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Javalin's request logger, the one place a finished request is written to the access log and
 * counted in the metrics. (The only requests it doesn't see are those Jetty's parser refuses before
 * Javalin; the README says so.)
 *
 * <p>One line per request: request id, method label, route, status, duration, key identity, the
 * guard's outcome ({@code ok}, {@code invalid}, {@code expired}..., or {@code public}), client.
 * Never the {@code Authorization} header, never the path as sent, never a query string: the path
 * is logged as its route template ({@code /docs/{asset}}) or {@code unmatched}, and the method as
 * its metric label ({@code other} for anything non-standard), so nothing a caller chooses reaches
 * the log at any length.
 *
 * <p>A body still on its way to a slow client is logged when its write ends; one that never
 * reached the client is marked {@code aborted}.
 */
final class RequestLog {
    private static final Logger LOG = LoggerFactory.getLogger("access");

    private final Metrics metrics;
    private final Map<String, String> exact = new HashMap<>();
    private final List<PathParser> parameterised = new ArrayList<>();
    private final List<String> templates = new ArrayList<>();

    /**
     * @param routes the route list; a request's route label is the path of the route it matches
     * @param router the router's settings, so paths match here as they do in Javalin
     */
    RequestLog(Metrics metrics, List<Route> routes, RouterConfig router) {
        this.metrics = metrics;
        for (Route route : routes) {
            if (route.doc().param() == null) {
                exact.put(route.path(), route.path());
            } else if (!templates.contains(route.path())) {
                parameterised.add(new PathParser(route.path(), router));
                templates.add(route.path());
            }
        }
    }

    /** Javalin's request logger. */
    void log(Context ctx, Float millis) {
        long nanos = (long) (millis * 1_000_000.0);
        String route = route(ctx);
        String method = Metrics.methodLabel(ctx.req().getMethod());
        int status = ctx.statusCode();
        String requestId = ctx.attribute(RequestIds.ATTRIBUTE);
        Authenticator.Result result = ctx.attribute(Caller.ATTRIBUTE);
        String client = client(ctx.req().getRemoteAddr());
        long loggedAt = System.nanoTime();
        Responses.whenWritten(ctx.req(), (written, failure) -> {
            long total = nanos + (System.nanoTime() - loggedAt);
            metrics.recordRequest(route, method, status, total);
            write(requestId, method, route, status, total, result, client, written);
        });
    }

    /**
     * The template of the route the request matched, else of the route its path would match (a
     * request refused before routing still counts under {@code /metrics}), else {@link Metrics#UNMATCHED}.
     */
    String route(Context ctx) {
        Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
        return endpoint != null ? endpoint.path : route(ctx.path());
    }

    /** The template of the route a path matches, as Javalin matches it, or {@link Metrics#UNMATCHED}. */
    String route(String path) {
        String template = exact.get(path);
        if (template != null) {
            return template;
        }
        for (int i = 0; i < parameterised.size(); i++) {
            if (parameterised.get(i).matches(path)) {
                return templates.get(i);
            }
        }
        return Metrics.UNMATCHED;
    }

    private static void write(String requestId, String method, String route, int status, long nanos,
                              Authenticator.Result result, String client, boolean written) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        // The identity of an expired key is logged too: it tells the operator who to chase.
        String identity = result == null ? "-" : result.identity();
        String auth = result == null ? "public" : result.outcome().label();
        String duration = millis(nanos);
        String message = requestId + ' ' + method + ' ' + route + ' ' + status + ' ' + duration + "ms key=" + identity
                + " auth=" + auth + " client=" + client + (written ? "" : " aborted");
        var line = LOG.atInfo()
                .addKeyValue("requestId", requestId)
                .addKeyValue("method", method)
                .addKeyValue("path", route)
                .addKeyValue("status", status)
                .addKeyValue("durationMs", duration)
                .addKeyValue("key", identity)
                .addKeyValue("auth", auth)
                .addKeyValue("client", client);
        if (!written) {
            line = line.addKeyValue("aborted", true);
        }
        line.log(message);
    }

    /**
     * The caller's address as Jetty gives it (the TCP peer, or what {@link ForwardedClient} took
     * from a trusted proxy's header), without the brackets Jetty puts around an IPv6 address.
     */
    static String client(String remoteAddr) {
        if (remoteAddr != null && remoteAddr.length() > 2 && remoteAddr.charAt(0) == '['
                && remoteAddr.charAt(remoteAddr.length() - 1) == ']') {
            return remoteAddr.substring(1, remoteAddr.length() - 1);
        }
        return remoteAddr;
    }

    /** Milliseconds with two decimals, rounded half up: 1234567 ns is "1.23". */
    static String millis(long nanos) {
        long hundredths = (Math.max(0, nanos) + 5_000) / 10_000;
        long fraction = hundredths % 100;
        return (hundredths / 100) + (fraction < 10 ? ".0" : ".") + fraction;
    }
}
