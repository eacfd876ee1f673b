package dev.apikeyauth.keys;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/** Making and vetting keys and identities. */
public final class Keys {
    /** The shortest key accepted in plain text. */
    public static final int MIN_LENGTH = 16;
    /** The identity of the key given in {@code AUTH_API_KEY}. */
    public static final String DEFAULT_ID = "default";

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Keys() {
    }

    /** 32 random bytes from {@link SecureRandom}, base64url without padding (43 characters). */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static boolean isValidId(String id) {
        return ID.matcher(id).matches();
    }

    /**
     * Why a plain-text key can't be used, or {@code null} if it can. The reason never quotes the key.
     * Keys are visible ASCII without spaces: anything else can't travel reliably in a header.
     */
    public static String problemWith(String key) {
        if (key.length() < MIN_LENGTH) {
            return "must be at least " + MIN_LENGTH + " characters (it has " + key.length() + ")";
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return "must be visible ASCII with no spaces (character " + (i + 1) + " is not)";
            }
        }
        return null;
    }
}
