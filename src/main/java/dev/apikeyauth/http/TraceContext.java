package dev.apikeyauth.http;

import java.util.Enumeration;

/**
 * The trace a request belongs to, from a valid W3C {@code traceparent} header, for the access log
 * to name (so the platform can group a request's log lines under its trace). Nothing else reads it:
 * an invalid header, or more than one, is ignored, never refused.
 *
 * @param traceId 32 lowercase hex digits, not all zero
 * @param spanId  the caller's span (the header's parent-id): 16 lowercase hex digits, not all zero
 * @param sampled the {@code sampled} bit of the header's flags
 */
record TraceContext(String traceId, String spanId, boolean sampled) {
    static final String HEADER = "traceparent";
    /** version "-" trace-id "-" parent-id "-" flags. */
    private static final int LENGTH = 2 + 1 + 32 + 1 + 16 + 1 + 2;

    /** The trace of a request that sent these {@code traceparent} headers, or {@code null}. */
    static TraceContext from(Enumeration<String> headers) {
        if (headers == null || !headers.hasMoreElements()) {
            return null;
        }
        String value = headers.nextElement();
        // Two traceparent headers say two different things; W3C leaves the choice open, and
        // guessing would put the line under a trace the caller may not have meant.
        return headers.hasMoreElements() ? null : parse(value);
    }

    /**
     * Parses one header value as W3C Trace Context (level 1) says: version 2 lowercase hex digits,
     * not {@code ff}; version {@code 00} is exactly 55 characters, a later version at least 55 and,
     * if longer, continues with {@code -} (the fields a newer version may add are not read).
     * Returns {@code null} for anything else.
     */
    static TraceContext parse(String value) {
        if (value == null || value.length() < LENGTH) {
            return null;
        }
        if (!isHex(value, 0, 2) || value.startsWith("ff")) {
            return null;
        }
        boolean version00 = value.startsWith("00");
        if (version00 ? value.length() != LENGTH : value.length() > LENGTH && value.charAt(LENGTH) != '-') {
            return null;
        }
        if (value.charAt(2) != '-' || value.charAt(35) != '-' || value.charAt(52) != '-') {
            return null;
        }
        if (!isHex(value, 3, 35) || !isHex(value, 36, 52) || !isHex(value, 53, 55)
                || isZeros(value, 3, 35) || isZeros(value, 36, 52)) {
            return null;
        }
        int flags = Character.digit(value.charAt(54), 16);
        return new TraceContext(value.substring(3, 35), value.substring(36, 52), (flags & 1) == 1);
    }

    private static boolean isHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isZeros(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }
}
