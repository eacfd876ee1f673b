package dev.apikeyauth.http;

import dev.apikeyauth.auth.Authenticator;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request: request id, method, path, status, duration, key identity, the guard's
 * outcome ({@code ok}, {@code invalid}, {@code expired}..., or {@code public}), client.
 * Never the {@code Authorization} header and never the query string (which may carry secrets
 * pasted by mistake).
 */
final class AccessLog {
    private static final Logger LOG = LoggerFactory.getLogger("access");

    private AccessLog() {
    }

    static void log(Context ctx, Float millis) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        String requestId = ctx.attribute(RequestIds.ATTRIBUTE);
        Authenticator.Result result = Caller.result(ctx);
        // The identity of an expired key is logged too: it tells the operator who to chase.
        String identity = result == null ? "-" : result.identity();
        String auth = result == null ? "public" : result.outcome().label();
        String method = ctx.method().name();
        String path = ctx.path();
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
