package dev.apikeyauth.http;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids: the caller's own {@code X-Request-Id} when it is 1–128 characters of
 * {@code [A-Za-z0-9._-]}, else a fresh one. The check is a character scan, so a forged value
 * can never smuggle a CR/LF or anything else into a header or a log line.
 */
public final class RequestIds {
    public static final String HEADER = "X-Request-Id";
    static final String ATTRIBUTE = "apikeyauth.requestId";
    private static final int MAX_LENGTH = 128;
    private static final HexFormat HEX = HexFormat.of();

    private RequestIds() {
    }

    /** The id to use for a request that sent {@code offered} (which may be {@code null}). */
    public static String choose(String offered) {
        return isAcceptable(offered) ? offered : fresh();
    }

    static boolean isAcceptable(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * 32 hex digits. Ids only correlate log lines, they guard nothing, so a fast non-cryptographic
     * source is enough and keeps {@link java.security.SecureRandom} off the hot path.
     */
    static String fresh() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return HEX.toHexDigits(random.nextLong()) + HEX.toHexDigits(random.nextLong());
    }
}
