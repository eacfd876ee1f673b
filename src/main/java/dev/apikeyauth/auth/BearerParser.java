package dev.apikeyauth.auth;

import java.util.Enumeration;

/**
 * Reads {@code Authorization} headers as CONTRACT §1 orders: more than one header is an error;
 * the scheme ends at the first space and is compared case-insensitively; the token is the rest
 * without leading and trailing spaces (inner spaces stay); an empty token is missing credentials.
 *
 * <p>Only the space character separates (RFC 6750: {@code "Bearer" 1*SP token}), so
 * {@code Bearer\tkey} is one malformed word, not a scheme and a token.
 */
public final class BearerParser {
    private static final String SCHEME = "Bearer";

    private BearerParser() {
    }

    /** Parses every {@code Authorization} header value of one request. */
    public static Credentials parse(Enumeration<String> values) {
        if (values == null || !values.hasMoreElements()) {
            return Credentials.MISSING;
        }
        String value = values.nextElement();
        if (values.hasMoreElements()) {
            return Credentials.MULTIPLE;
        }
        return parse(value);
    }

    /** Parses the value of a single {@code Authorization} header. */
    public static Credentials parse(String value) {
        if (value == null) {
            return Credentials.MISSING;
        }
        int space = value.indexOf(' ');
        if (space != SCHEME.length() || !value.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Credentials.MALFORMED;
        }
        int start = space;
        int end = value.length();
        while (start < end && value.charAt(start) == ' ') {
            start++;
        }
        while (end > start && value.charAt(end - 1) == ' ') {
            end--;
        }
        return start == end ? Credentials.MALFORMED : Credentials.bearer(value.substring(start, end));
    }
}
