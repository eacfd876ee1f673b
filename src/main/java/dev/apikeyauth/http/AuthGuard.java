package dev.apikeyauth.http;

import dev.apikeyauth.auth.Authenticator;
import dev.apikeyauth.auth.Outcome;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.Set;

/**
 * Javalin's before-handler for every request, matched route or not: lets a request through only
 * if it is a {@code GET} (or {@code HEAD}) of a path on the short, explicit list of public paths,
 * or the {@link Gate} in front found an active key. The gate refuses bad keys itself; this second
 * check fails closed, so a route added later is protected even if a request were ever to reach
 * Javalin some other way: protection is
 * the default, publicity the exception.
 */
final class AuthGuard implements Handler {
    private final Set<String> publicPaths;

    AuthGuard(Set<String> publicPaths) {
        this.publicPaths = publicPaths;
    }

    @Override
    public void handle(Context ctx) {
        // Exact match on the raw path: "/health/", "//health" or "/%68ealth" are not public. Only
        // GET is (and HEAD, which Javalin answers for every GET route): another method without a
        // key is refused like any other request (CONTRACT §1), not told 405 and the path's methods.
        HandlerType method = ctx.method();
        if ((HandlerType.GET.equals(method) || HandlerType.HEAD.equals(method)) && publicPaths.contains(ctx.path())) {
            return;
        }
        Authenticator.Result result = Caller.result(ctx);
        if (result == null || result.outcome() != Outcome.OK) {
            throw ApiError.NOT_AUTHENTICATED;
        }
    }
}
