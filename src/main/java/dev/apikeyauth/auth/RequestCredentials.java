package dev.apikeyauth.auth;

import java.util.Enumeration;

/**
 * Reads the credentials of one request: {@code Authorization: Bearer <key>} as {@link BearerParser}
 * reads it, and, when {@code AUTH_API_KEY_HEADER} names a header, that header's whole value.
 *
 * <p>One credential, in one place: two {@code Authorization} headers are {@link Credentials.Kind#MULTIPLE};
 * the key header twice, or beside an {@code Authorization} header (whatever either holds), is
 * {@link Credentials.Kind#MULTIPLE_CREDENTIALS}, since the service won't guess which one the caller
 * meant. The key header's value, without leading and trailing spaces, is the key; an empty one is
 * missing credentials.
 */
public final class RequestCredentials {
    private RequestCredentials() {
    }

    /**
     * @param authorization the {@code Authorization} header values
     * @param keyHeader     the key header's values, or {@code null} when no key header is configured
     */
    public static Credentials read(Enumeration<String> authorization, Enumeration<String> keyHeader) {
        if (keyHeader == null || !keyHeader.hasMoreElements()) {
            return BearerParser.parse(authorization);
        }
        String value = keyHeader.nextElement();
        boolean withAuthorization = authorization != null && authorization.hasMoreElements();
        if (withAuthorization) {
            authorization.nextElement();
            if (authorization.hasMoreElements()) {
                return Credentials.MULTIPLE;
            }
        }
        if (withAuthorization || keyHeader.hasMoreElements()) {
            return Credentials.MULTIPLE_CREDENTIALS;
        }
        int start = 0;
        int end = value.length();
        while (start < end && value.charAt(start) == ' ') {
            start++;
        }
        while (end > start && value.charAt(end - 1) == ' ') {
            end--;
        }
        return start == end ? Credentials.MISSING : Credentials.bearer(value.substring(start, end));
    }
}
