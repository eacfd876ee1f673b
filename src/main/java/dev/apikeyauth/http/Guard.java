package dev.apikeyauth.http;

import dev.apikeyauth.auth.Authenticator;
import dev.apikeyauth.auth.BearerParser;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Set;

/**
 * The service's one enforcement point: Javalin's {@code before} handler, which runs for every
 * request, matched or not, ahead of routing. It gives each answer the headers every answer carries,
 * then lets a request through only if it is a {@code GET} or {@code HEAD} of one of the public
 * paths, or its credentials name an active key. Any refusal is thrown from here and answered by
 * the app's exception mapper, so a path that exists and one that does not get the same 401/403.
 *
 * <p>Protection is the default and publicity the exception: a route added later needs a key unless
 * its declaration says otherwise.
 */
final class Guard implements Handler {
    static final String NOSNIFF_HEADER = "X-Content-Type-Options";

    private final Authenticator authenticator;
    private final Set<String> publicPaths;
    private final AuthListener listener;

    /**
     * @param publicPaths the exact paths served without a key (derived from the route list)
     * @param listener    told of every decision (the metrics, and whoever else the app was given)
     */
    Guard(Authenticator authenticator, Set<String> publicPaths, AuthListener listener) {
        this.authenticator = authenticator;
        this.publicPaths = publicPaths;
        this.listener = listener;
    }

    @Override
    public void handle(Context ctx) {
        HttpServletRequest request = ctx.req();
        HttpServletResponse response = ctx.res();
        String requestId = RequestIds.choose(request.getHeader(RequestIds.HEADER));
        request.setAttribute(RequestIds.ATTRIBUTE, requestId);
        response.setHeader(RequestIds.HEADER, requestId);
        response.setHeader(NOSNIFF_HEADER, "nosniff");
        response.setHeader("Cache-Control", "no-store");

        // Exact match on the raw path: "/health/", "//health" or "/%68ealth" are not public. Only
        // GET and HEAD are: another method without a key is refused like any other request
        // (CONTRACT §1), not told 405 and the path's methods.
        HandlerType method = ctx.method();
        if ((method == HandlerType.GET || method == HandlerType.HEAD) && publicPaths.contains(ctx.path())) {
            return;
        }
        Authenticator.Result result = authenticator.authenticate(
                BearerParser.parse(request.getHeaders("Authorization")));
        request.setAttribute(Caller.ATTRIBUTE, result);
        listener.onAuthentication(result);
        switch (result.outcome()) {
            case OK -> {
            }
            case MULTIPLE -> throw ApiError.MULTIPLE_AUTHORIZATION;
            case INVALID, EXPIRED -> throw ApiError.INVALID_CREDENTIALS;
            default -> throw ApiError.NOT_AUTHENTICATED;
        }
    }
}
