package dev.apikeyauth.http;

import dev.apikeyauth.auth.Authenticator;
import dev.apikeyauth.auth.Credentials;
import dev.apikeyauth.auth.RequestCredentials;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The service's one enforcement point: Javalin's {@code before} handler, which runs for every
 * request, matched or not, ahead of routing. It gives each answer the headers every answer carries,
 * then lets a request through only if it is a {@code GET} or {@code HEAD} of one of the public
 * paths, or its credentials name an active key that holds the scope of the route the request will
 * hit. Any refusal is thrown from here and answered by the app's exception mapper, so a path that
 * exists and one that does not get the same 401/403.
 *
 * <p>It runs before routing, so it finds the route's scope the way Javalin will find the route: by
 * the exact path as sent and the method, in a table derived from the route list. A path or method
 * no route serves needs no scope; with a valid key it gets 404 or 405 as before.
 *
 * <p>Protection is the default and publicity the exception: a route added later needs a key unless
 * its declaration says otherwise.
 */
final class Guard implements Handler {
    static final String NOSNIFF_HEADER = "X-Content-Type-Options";

    private final Authenticator authenticator;
    private final Set<String> publicPaths;
    private final Map<String, Map<String, String>> requiredScopes;
    /** One answer per scope a route needs (a bounded set), made on its first use. */
    private final Map<String, ApiError> insufficientScope = new ConcurrentHashMap<>();
    private final String keyHeader;
    private final AuthListener listener;

    /**
     * @param publicPaths    the exact paths served without a key (derived from the route list)
     * @param requiredScopes path, then method, to the scope its route needs (derived from the route list)
     * @param keyHeader      the header whose whole value is also a key, or {@code null} for Bearer only
     * @param listener       told of every decision (the metrics, and whoever else the app was given)
     */
    Guard(Authenticator authenticator, Set<String> publicPaths, Map<String, Map<String, String>> requiredScopes,
          String keyHeader, AuthListener listener) {
        this.authenticator = authenticator;
        this.publicPaths = publicPaths;
        this.requiredScopes = requiredScopes;
        this.keyHeader = keyHeader;
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
        Map<String, String> scopes = requiredScopes.get(ctx.path());
        String scope = scopes == null ? null : scopes.get(method.name());
        Credentials credentials = RequestCredentials.read(request.getHeaders("Authorization"),
                keyHeader == null ? null : request.getHeaders(keyHeader));
        Authenticator.Result result = authenticator.authenticate(credentials, scope);
        request.setAttribute(Caller.ATTRIBUTE, result);
        listener.onAuthentication(result);
        switch (result.outcome()) {
            case OK -> {
            }
            case MULTIPLE -> throw credentials.kind() == Credentials.Kind.MULTIPLE
                    ? ApiError.MULTIPLE_AUTHORIZATION : ApiError.MULTIPLE_CREDENTIALS;
            case INVALID, EXPIRED -> throw ApiError.INVALID_CREDENTIALS;
            case INSUFFICIENT_SCOPE -> throw insufficientScope.computeIfAbsent(scope, ApiError::insufficientScope);
            default -> throw ApiError.NOT_AUTHENTICATED;
        }
    }
}
