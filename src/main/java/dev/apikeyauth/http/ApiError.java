package dev.apikeyauth.http;

import org.eclipse.jetty.http.HttpStatus;

/**
 * An answer of the contract's {@code {"detail": ...}} form, thrown by the guard and mapped to the
 * response in one place ({@link App}'s exception mapper).
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
    static final ApiError MULTIPLE_CREDENTIALS =
            new ApiError(400, "Multiple credentials", "Bearer error=\"invalid_request\"");
    static final ApiError NOT_FOUND = new ApiError(404, "Not Found", null);
    static final ApiError METHOD_NOT_ALLOWED = new ApiError(405, "Method Not Allowed", null);
    static final ApiError INTERNAL_ERROR = new ApiError(500, "Internal Server Error", null);

    private final int status;
    private final transient byte[] body;
    private final String wwwAuthenticate;

    /**
     * RFC 6750 §3.1: a valid key without the scope the route needs. Scope names are
     * {@code [a-z0-9:._-]}, so the quoted string needs no escaping.
     */
    static ApiError insufficientScope(String scope) {
        return new ApiError(403, "Insufficient scope", "Bearer error=\"insufficient_scope\", scope=\"" + scope + "\"");
    }

    private ApiError(int status, String detail, String wwwAuthenticate) {
        super(detail, null, false, false);
        this.status = status;
        this.body = Responses.detailBody(detail);
        this.wwwAuthenticate = wwwAuthenticate;
    }

    /** The answer for another status: its standard reason phrase, never a message that may quote input. */
    static ApiError forStatus(int status) {
        return switch (status) {
            case 400 -> new ApiError(400, "Bad Request", null);
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 500 -> INTERNAL_ERROR;
            default -> {
                HttpStatus.Code code = HttpStatus.getCode(status);
                yield new ApiError(status, code == null ? "Error" : code.getMessage(), null);
            }
        };
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
