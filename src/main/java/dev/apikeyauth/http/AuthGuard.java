package dev.apikeyauth.http;

import dev.apikeyauth.auth.Authenticator;
import dev.apikeyauth.auth.BearerParser;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.Set;

/**
 * The before-handler that runs for every request, matched route or not, and refuses it unless it
 * carries an active key or is a {@code GET} (or {@code HEAD}) of a path on the short, explicit list
 * of public paths. A route added later is protected without anyone remembering to: protection is
 * the default, publicity the exception.
 */
final class AuthGuard implements Handler {
    private final Authenticator authenticator;
    private final Set<String> publicPaths;
    private final AuthListener listener;

    AuthGuard(Authenticator authenticator, Set<String> publicPaths, AuthListener listener) {
        this.authenticator = authenticator;
        this.publicPaths = publicPaths;
        this.listener = listener;
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
        Authenticator.Result result = authenticator.authenticate(
                BearerParser.parse(ctx.req().getHeaders("Authorization")));
        Caller.set(ctx, result);
        listener.onAuthentication(result);
        switch (result.outcome()) {
            case OK:
                return;
            case MULTIPLE:
                throw ApiError.MULTIPLE_AUTHORIZATION;
            case INVALID:
            case EXPIRED:
                throw ApiError.INVALID_CREDENTIALS;
            default:
                throw ApiError.NOT_AUTHENTICATED;
        }
    }
}
