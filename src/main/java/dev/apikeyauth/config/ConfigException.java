package dev.apikeyauth.config;

/** A configuration value the service can't run with; the message is one line, fit for an operator. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
