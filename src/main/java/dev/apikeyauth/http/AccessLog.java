package dev.apikeyauth.http;

import dev.apikeyauth.auth.Authenticator;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request: request id, method, route, status, duration, key identity, the guard's
 * outcome ({@code ok}, {@code invalid}, {@code expired}..., or {@code public}), client.
 * Never the {@code Authorization} header and never the query string (which may carry secrets
 * pasted by mistake).
 *
 * <p>It runs once per request, so it builds the message itself (no {@code String.format}, no
 * placeholder parsing) and hands the fields to the JSON format as key/value pairs.
 */
final class AccessLog {
    private static final Logger LOG = LoggerFactory.getLogger("access");

    private AccessLog() {
    }

    /** Javalin's request logger, for the requests that the {@link Gate} passes on to Javalin. */
    static void log(Context ctx, Float millis, String route) {
        log(ctx.attribute(RequestIds.ATTRIBUTE), ctx.method().name(), route, ctx.statusCode(),
                (long) (millis * 1_000_000.0), Caller.result(ctx), ctx.ip());
    }

    /**
     * Logs one finished request. The path is logged as its route template ({@code /},
     * {@code /docs/{file}}...) or {@code unmatched}, never as sent: a caller who pastes a key into
     * a URL must not get it written to the log, and junk paths from scanners can't flood it.
     */
    static void log(String requestId, String method, String route, int status, long nanos,
                    Authenticator.Result result, String client) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        // The identity of an expired key is logged too: it tells the operator who to chase.
        String identity = result == null ? "-" : result.identity();
        String auth = result == null ? "public" : result.outcome().label();
        String duration = millis(nanos);
        String message = requestId + ' ' + method + ' ' + route + ' ' + status + ' ' + duration + "ms key=" + identity
                + " auth=" + auth + " client=" + client;
        LOG.atInfo()
                .addKeyValue("requestId", requestId)
                .addKeyValue("method", method)
                .addKeyValue("path", route)
                .addKeyValue("status", status)
                .addKeyValue("durationMs", duration)
                .addKeyValue("key", identity)
                .addKeyValue("auth", auth)
                .addKeyValue("client", client)
                .log(message);
    }

    /** Milliseconds with two decimals, rounded half up: 1234567 ns is "1.23". */
    static String millis(long nanos) {
        long hundredths = (Math.max(0, nanos) + 5_000) / 10_000;
        long fraction = hundredths % 100;
        return (hundredths / 100) + (fraction < 10 ? ".0" : ".") + fraction;
    }
}
