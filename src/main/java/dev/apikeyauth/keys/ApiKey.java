package dev.apikeyauth.keys;

import java.time.Instant;
import java.util.Objects;

/**
 * One active key: its identity (safe to log), its digest (never its value) and an optional expiry.
 *
 * @param id        the identity, 1–64 characters of {@code [A-Za-z0-9._-]}
 * @param digest    SHA-256 of the key
 * @param expiresAt the instant from which the key is refused, or {@code null} for never
 */
public record ApiKey(String id, KeyDigest digest, Instant expiresAt) {

    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(digest, "digest");
    }

    /** A key is expired when now is at or after its expiry. */
    public boolean isExpiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
