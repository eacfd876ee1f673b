package dev.apikeyauth.keys;

import java.time.Instant;
import java.util.Objects;

/**
 * One active key: its identity (safe to log), its digest (never its value), an optional expiry and
 * the scopes it holds.
 *
 * @param id        the identity, 1–64 characters of {@code [A-Za-z0-9._-]}
 * @param digest    SHA-256 of the key
 * @param expiresAt the instant from which the key is refused, or {@code null} for never
 * @param scopes    the scopes it holds; {@link Scopes#ALL} unless the keys file names some
 */
public record ApiKey(String id, KeyDigest digest, Instant expiresAt, Scopes scopes) {

    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(scopes, "scopes");
    }

    /** A key that holds every scope. */
    public ApiKey(String id, KeyDigest digest, Instant expiresAt) {
        this(id, digest, expiresAt, Scopes.ALL);
    }

    /** A key is expired when now is at or after its expiry. */
    public boolean isExpiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
