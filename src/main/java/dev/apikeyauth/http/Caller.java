package dev.apikeyauth.http;

import dev.apikeyauth.auth.Authenticator;
import dev.apikeyauth.auth.Outcome;
import dev.apikeyauth.keys.Scopes;
import io.javalin.http.Context;
import java.util.Optional;

/**
 * Who is calling, as the guard decided it: the typed view of the request attribute it sets, for
 * handlers that need the caller's key identity or scopes (never the key).
 */
public final class Caller {
    static final String ATTRIBUTE = "apikeyauth.auth";

    private Caller() {
    }

    /** The identity of the active key that authenticated this request; empty on public routes. */
    public static Optional<String> identity(Context ctx) {
        Authenticator.Result result = result(ctx);
        return result != null && result.outcome() == Outcome.OK ? Optional.of(result.identity()) : Optional.empty();
    }

    /**
     * The scopes of the active key that authenticated this request ({@link Scopes#ALL} for a key
     * without {@code scopes=}); {@link Scopes#NONE} on public routes.
     */
    public static Scopes scopes(Context ctx) {
        Authenticator.Result result = result(ctx);
        return result != null && result.outcome() == Outcome.OK ? result.key().scopes() : Scopes.NONE;
    }

    /** The guard's decision for this request, or {@code null} on a public route. */
    public static Authenticator.Result result(Context ctx) {
        return ctx.attribute(ATTRIBUTE);
    }
}
