package dev.apikeyauth.http;

/**
 * A request refused with one of the contract's {@code {"detail": ...}} answers.
 *
 * <p>Stackless: a flood of bad keys throws one of these per request and must not pay for a stack
 * trace. The shared instances carry no per-request state.
 */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    static final ApiError NOT_AUTHENTICATED = new ApiError(401, "Not authenticated", "Bearer");
    static final ApiError INVALID_CREDENTIALS = new ApiError(403, "Could not validate credentials", null);
    static final ApiError MULTIPLE_AUTHORIZATION =
            new ApiError(400, "Multiple Authorization headers", "Bearer error=\"invalid_request\"");

    private final int status;
    private final transient byte[] body;
    private final String wwwAuthenticate;

    private ApiError(int status, String detail, String wwwAuthenticate) {
        super(detail, null, false, false);
        this.status = status;
        this.body = Responses.detailBody(detail);
        this.wwwAuthenticate = wwwAuthenticate;
    }

    int status() {
        return status;
    }

    byte[] body() {
        return body;
    }

    /** The {@code WWW-Authenticate} value this answer carries, or {@code null}. */
    String wwwAuthenticate() {
        return wwwAuthenticate;
    }
}
