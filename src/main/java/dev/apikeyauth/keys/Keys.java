package dev.apikeyauth.keys;

import java.util.regex.Pattern;

/** Making and vetting keys and identities. */
public final class Keys {
    /** The shortest key accepted in plain text. */
    public static final int MIN_LENGTH = 16;
    /** The identity of the key given in {@code AUTH_API_KEY}. */
    public static final String DEFAULT_ID = "default";

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private Keys() {
    }

    /** A new key of {@link KeyFormat} with the default prefix: {@code aka_} and 49 base62 characters. */
    public static String generate() {
        return KeyFormat.generate(KeyFormat.DEFAULT_PREFIX);
    }

    public static boolean isValidId(String id) {
        return ID.matcher(id).matches();
    }

    /**
     * Why a plain-text key can't be used, or {@code null} if it can. The reason never quotes the key.
     * Keys are visible ASCII without spaces: anything else can't travel reliably in a header. A key
     * of the generated form with a wrong checksum would be refused at every request, so it is
     * refused here first, where the mistake can still be seen.
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
        if (KeyFormat.isDamaged(key)) {
            return "has the form of a generated key but its checksum does not match (was it cut or changed "
                    + "when copied?)";
        }
        return null;
    }
}
