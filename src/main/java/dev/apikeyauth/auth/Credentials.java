package dev.apikeyauth.auth;

/**
 * What the credential headers of a request ({@code Authorization}, and the key header when one is
 * configured) hold, before any key is looked at.
 *
 * <p>{@link #token()} is the caller's secret: this type has no {@code toString} that shows it.
 */
public final class Credentials {
    /** How the headers were read. */
    public enum Kind {
        /** No {@code Authorization} header (nor key header), or an empty key header. */
        MISSING,
        /** One header that is not {@code Bearer <token>}: another scheme, no token, a tab. */
        MALFORMED,
        /** Two or more {@code Authorization} headers. */
        MULTIPLE,
        /** The key header twice, or the key header and an {@code Authorization} header. */
        MULTIPLE_CREDENTIALS,
        /** One token: a well-formed {@code Bearer} one, or the key header's value. */
        BEARER
    }

    static final Credentials MISSING = new Credentials(Kind.MISSING, null);
    static final Credentials MALFORMED = new Credentials(Kind.MALFORMED, null);
    static final Credentials MULTIPLE = new Credentials(Kind.MULTIPLE, null);
    static final Credentials MULTIPLE_CREDENTIALS = new Credentials(Kind.MULTIPLE_CREDENTIALS, null);

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
