package dev.apikeyauth.auth;

import java.util.Locale;

/** The result of checking one request's credentials; {@link #label()} is its metric and log value. */
public enum Outcome {
    OK, MISSING, MALFORMED, MULTIPLE, INVALID, EXPIRED;

    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label;
    }
}
