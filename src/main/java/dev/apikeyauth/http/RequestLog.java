package dev.apikeyauth.http;

import dev.apikeyauth.auth.Authenticator;
import dev.apikeyauth.ops.Metrics;
import io.javalin.config.RouterConfig;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.javalin.router.matcher.PathParser;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

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
 * the log at any length. What a caller may add is checked and bounded: a request id of its own
 * ({@link RequestIds}), the trace of a valid {@code traceparent} ({@link TraceContext}) and, through
 * a trusted proxy, its address ({@link ForwardedClient}).
 *
 * <p>The text format writes the message; {@code LOG_FORMAT=json} writes the key/value pairs too, in
 * the platform's field names: {@code httpRequest} ({@code requestMethod}, {@code requestUrl} (the
 * route template), {@code status}, {@code latency}, {@code remoteIp}, {@code protocol}),
 * {@code requestId}, {@code keyId}, {@code auth}, and the trace fields when there is a trace.
 *
 * <p>A body still on its way to a slow client is logged when its write ends; one that never
 * reached the client is marked {@code aborted}.
 */
final class RequestLog {
    private static final Logger LOG = LoggerFactory.getLogger("access");

    private final Metrics metrics;
    private final String cloudProject;
    private final Map<String, String> exact = new HashMap<>();
    private final List<PathParser> parameterised = new ArrayList<>();
    private final List<String> templates = new ArrayList<>();

    /**
     * @param routes the route list; a request's route label is the path of the route it matches
     * @param router the router's settings, so paths match here as they do in Javalin
     * @param cloudProject the Google Cloud project whose trace a {@code traceparent} names, or {@code null}
     */
    RequestLog(Metrics metrics, List<Route> routes, RouterConfig router, String cloudProject) {
        this.metrics = metrics;
        this.cloudProject = cloudProject;
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
        HttpServletRequest request = ctx.req();
        Line line = new Line(ctx.attribute(RequestIds.ATTRIBUTE), Metrics.methodLabel(request.getMethod()), route(ctx),
                ctx.statusCode(), ctx.attribute(Caller.ATTRIBUTE), client(request.getRemoteAddr()),
                request.getProtocol(), TraceContext.from(request.getHeaders(TraceContext.HEADER)));
        long loggedAt = System.nanoTime();
        Responses.whenWritten(request, (written, failure) -> {
            long total = nanos + (System.nanoTime() - loggedAt);
            metrics.recordRequest(line.route, line.method, line.status, total);
            write(line, total, written);
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

    /** What the line says of a request, gathered before its body is written. */
    private record Line(String requestId, String method, String route, int status, Authenticator.Result result,
                        String client, String protocol, TraceContext trace) {
    }

    private void write(Line line, long nanos, boolean written) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        // The identity of an expired key is logged too: it tells the operator who to chase.
        String identity = line.result == null ? "-" : line.result.identity();
        String auth = line.result == null ? "public" : line.result.outcome().label();
        String message = line.requestId + ' ' + line.method + ' ' + line.route + ' ' + line.status + ' '
                + millis(nanos) + "ms key=" + identity + " auth=" + auth + " client=" + line.client
                + (written ? "" : " aborted");
        // The key/value pairs are what LOG_FORMAT=json writes (see ops.LogSetup): the names and
        // shape of the platform's structured logs (Cloud Logging's httpRequest and trace fields).
        Map<String, Object> httpRequest = new LinkedHashMap<>(8);
        httpRequest.put("requestMethod", line.method);
        httpRequest.put("requestUrl", line.route);
        httpRequest.put("status", line.status);
        httpRequest.put("latency", seconds(nanos));
        httpRequest.put("remoteIp", line.client);
        httpRequest.put("protocol", line.protocol);
        LoggingEventBuilder event = LOG.atInfo()
                .addKeyValue("httpRequest", httpRequest)
                .addKeyValue("requestId", line.requestId)
                .addKeyValue("keyId", identity)
                .addKeyValue("auth", auth);
        if (line.trace != null) {
            event = event.addKeyValue("traceId", line.trace.traceId()).addKeyValue("spanId", line.trace.spanId());
            if (cloudProject != null) {
                event = event.addKeyValue("logging.googleapis.com/trace",
                                "projects/" + cloudProject + "/traces/" + line.trace.traceId())
                        .addKeyValue("logging.googleapis.com/spanId", line.trace.spanId())
                        .addKeyValue("logging.googleapis.com/trace_sampled", line.trace.sampled());
            }
        }
        if (!written) {
            event = event.addKeyValue("aborted", true);
        }
        event.log(message);
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

    /** Seconds with six decimals and an {@code s}, as Cloud Logging writes a latency: 412345 ns is "0.000412s". */
    static String seconds(long nanos) {
        long micros = (Math.max(0, nanos) + 500) / 1_000;
        String fraction = Long.toString(micros % 1_000_000);
        return (micros / 1_000_000) + "." + "000000".substring(fraction.length()) + fraction + "s";
    }

    /** Milliseconds with two decimals, rounded half up: 1234567 ns is "1.23". */
    static String millis(long nanos) {
        long hundredths = (Math.max(0, nanos) + 5_000) / 10_000;
        long fraction = hundredths % 100;
        return (hundredths / 100) + (fraction < 10 ? ".0" : ".") + fraction;
    }
}
