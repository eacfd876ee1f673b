package dev.apikeyauth.auth;

import java.util.Locale;

/**
 * The result of checking one request's credentials; {@link #label()} is its metric and log value.
 * {@code MULTIPLE} is more than one credential (two {@code Authorization} headers, or the key header
 * twice or beside one); {@code INSUFFICIENT_SCOPE} is an active key that lacks the scope its route
 * needs.
 */
public enum Outcome {
    OK, MISSING, MALFORMED, MULTIPLE, INVALID, EXPIRED, INSUFFICIENT_SCOPE;

    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label;
    }
}
