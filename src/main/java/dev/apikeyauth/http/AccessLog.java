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
 */
final class AccessLog {
    private static final Logger LOG = LoggerFactory.getLogger("access");

    private AccessLog() {
    }

    /**
     * Logs one finished request. The path is logged as its route template ({@code /},
     * {@code /docs/{file}}...) or {@code unmatched}, never as sent: a caller who pastes a key into
     * a URL must not get it written to the log, and junk paths from scanners can't flood it.
     */
    static void log(Context ctx, Float millis, String route) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        String requestId = ctx.attribute(RequestIds.ATTRIBUTE);
        Authenticator.Result result = Caller.result(ctx);
        // The identity of an expired key is logged too: it tells the operator who to chase.
        String identity = result == null ? "-" : result.identity();
        String auth = result == null ? "public" : result.outcome().label();
        String method = ctx.method().name();
        String path = route;
        int status = ctx.statusCode();
        String duration = String.format(java.util.Locale.ROOT, "%.2f", millis);
        String client = ctx.ip();
        LOG.atInfo()
                .addKeyValue("requestId", requestId)
                .addKeyValue("method", method)
                .addKeyValue("path", path)
                .addKeyValue("status", status)
                .addKeyValue("durationMs", duration)
                .addKeyValue("key", identity)
                .addKeyValue("auth", auth)
                .addKeyValue("client", client)
                .log("{} {} {} {} {}ms key={} auth={} client={}", requestId, method, path, status, duration, identity,
                        auth, client);
    }
}
