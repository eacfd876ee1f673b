package dev.apikeyauth.http;

import java.util.Locale;

/** Reads {@code Accept-Encoding} (RFC 9110 §12.5.3) for the one question the service asks of it. */
final class AcceptEncoding {
    private AcceptEncoding() {
    }

    /**
     * Whether the client accepts gzip: {@code gzip} (or {@code x-gzip}) listed with a non-zero
     * weight, or {@code *} with a non-zero weight and gzip not refused by name. Anything malformed
     * counts as not accepted: the plain bytes always work.
     */
    static boolean allowsGzip(String header) {
        if (header == null || header.isEmpty()) {
            return false;
        }
        Boolean named = null;
        boolean wildcard = false;
        for (String element : header.split(",")) {
            int semicolon = element.indexOf(';');
            String coding = (semicolon < 0 ? element : element.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
            boolean allowed = semicolon < 0 || weight(element.substring(semicolon + 1)) > 0;
            if (coding.equals("gzip") || coding.equals("x-gzip")) {
                named = allowed;
            } else if (coding.equals("*")) {
                wildcard = allowed;
            }
        }
        return named != null ? named : wildcard;
    }

    /** The {@code q} weight of an element's parameters; 1 when absent, 0 when unreadable. */
    private static double weight(String parameters) {
        for (String parameter : parameters.split(";")) {
            String p = parameter.trim();
            if (p.length() > 2 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.charAt(1) == '=') {
                try {
                    double q = Double.parseDouble(p.substring(2).trim());
                    return q >= 0 && q <= 1 ? q : 0;
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }
}
