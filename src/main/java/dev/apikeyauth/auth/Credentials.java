package dev.apikeyauth.auth;

/**
 * What the {@code Authorization} headers of a request hold, before any key is looked at.
 *
 * <p>{@link #token()} is the caller's secret: this type has no {@code toString} that shows it.
 */
public final class Credentials {
    /** How the headers were read. */
    public enum Kind {
        /** No {@code Authorization} header. */
        MISSING,
        /** One header that is not {@code Bearer <token>}: another scheme, no token, a tab. */
        MALFORMED,
        /** Two or more {@code Authorization} headers. */
        MULTIPLE,
        /** One well-formed bearer token. */
        BEARER
    }

    static final Credentials MISSING = new Credentials(Kind.MISSING, null);
    static final Credentials MALFORMED = new Credentials(Kind.MALFORMED, null);
    static final Credentials MULTIPLE = new Credentials(Kind.MULTIPLE, null);

    private final Kind kind;
    private final String token;

    private Credentials(Kind kind, String token) {
        this.kind = kind;
        this.token = token;
    }

    static Credentials bearer(String token) {
        return new Credentials(Kind.BEARER, token);
    }

    public Kind kind() {
        return kind;
    }

    /** The bearer token, or {@code null} unless {@link #kind()} is {@link Kind#BEARER}. */
    public String token() {
        return token;
    }

    @Override
    public String toString() {
        return "Credentials[" + kind + "]";
    }
}
