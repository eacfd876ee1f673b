package dev.apikeyauth.http;

import dev.apikeyauth.auth.Authenticator;

/** Told of every authentication decision, e.g. to count outcomes; never sees the token. */
@FunctionalInterface
public interface AuthListener {
    AuthListener NONE = result -> { };

    void onAuthentication(Authenticator.Result result);
}
