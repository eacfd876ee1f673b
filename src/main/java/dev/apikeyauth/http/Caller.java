package dev.apikeyauth.http;

import dev.apikeyauth.auth.Authenticator;
import dev.apikeyauth.auth.Outcome;
import io.javalin.http.Context;
import java.util.Optional;

/**
 * Who is calling, as the guard decided it: the typed view of the request attribute it sets, for
 * handlers that need the caller's key identity (never the key).
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

    /** The guard's decision for this request, or {@code null} on a public route. */
    public static Authenticator.Result result(Context ctx) {
        return ctx.attribute(ATTRIBUTE);
    }
}
