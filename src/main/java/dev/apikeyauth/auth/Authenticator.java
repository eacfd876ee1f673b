package dev.apikeyauth.auth;

import dev.apikeyauth.keys.ApiKey;
import dev.apikeyauth.keys.KeyDigest;
import dev.apikeyauth.keys.KeyFormat;
import dev.apikeyauth.keys.KeyStore;
import java.time.Clock;

/**
 * Decides whether credentials name an active key.
 *
 * <p>The token is hashed once and the digest looked up, so the cost does not depend on how close
 * the token is to a real key nor on how many keys there are. A token of the generated form
 * ({@link KeyFormat}) whose checksum does not match is no key: it is refused as unknown before it
 * is hashed. That check reads only the token, never a key, so it tells a caller nothing about the
 * keys in force.
 */
public final class Authenticator {
    private final KeyStore keys;
    private final Clock clock;

    public Authenticator(KeyStore keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** The outcome for these credentials on a route that needs no scope. */
    public Result authenticate(Credentials credentials) {
        return authenticate(credentials, null);
    }

    /**
     * The outcome for these credentials on a route that needs {@code scope}, with the matched key
     * when there is one. An expired key is expired whatever its scopes.
     *
     * @param scope the scope the route needs, or {@code null} for none
     */
    public Result authenticate(Credentials credentials, String scope) {
        switch (credentials.kind()) {
            case MISSING:
                return Result.MISSING;
            case MALFORMED:
                return Result.MALFORMED;
            case MULTIPLE:
            case MULTIPLE_CREDENTIALS:
                return Result.MULTIPLE;
            default:
                break;
        }
        if (KeyFormat.isDamaged(credentials.token())) {
            return Result.INVALID;
        }
        ApiKey key = keys.current().find(KeyDigest.of(credentials.token()));
        if (key == null) {
            return Result.INVALID;
        }
        if (key.isExpiredAt(clock.instant())) {
            return new Result(Outcome.EXPIRED, key);
        }
        if (!key.scopes().includes(scope)) {
            return new Result(Outcome.INSUFFICIENT_SCOPE, key);
        }
        return new Result(Outcome.OK, key);
    }

    /**
     * An outcome and, for {@code OK}, {@code EXPIRED} and {@code INSUFFICIENT_SCOPE}, the key it concerns.
     *
     * @param outcome what was decided
     * @param key     the matched key, or {@code null}
     */
    public record Result(Outcome outcome, ApiKey key) {
        static final Result MISSING = new Result(Outcome.MISSING, null);
        static final Result MALFORMED = new Result(Outcome.MALFORMED, null);
        static final Result MULTIPLE = new Result(Outcome.MULTIPLE, null);
        static final Result INVALID = new Result(Outcome.INVALID, null);

        /** The identity of the matched key, or {@code "-"}. */
        public String identity() {
            return key == null ? "-" : key.id();
        }
    }
}
