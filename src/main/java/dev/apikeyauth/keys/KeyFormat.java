package dev.apikeyauth.keys;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The form of the keys {@code generate-key} makes: a prefix, {@code _}, 43 random base62 characters
 * and 6 base62 characters of checksum, e.g. {@code aka_} + 49 characters. The prefix lets a secret
 * scanner find a leaked key; the checksum lets it, and the service, tell a key from a typo or a
 * look-alike without asking anyone.
 *
 * <p>Base62 is {@code 0-9A-Za-z} in that order. The checksum is the CRC32 of the ASCII bytes before
 * it (prefix and underscore included), written big-endian in base62 and left-padded with {@code 0}.
 * 43 base62 characters carry 43 × log2(62) ≈ 256.03 bits, as much as the 32 random bytes of
 * earlier keys.
 */
public final class KeyFormat {
    /** The prefix of {@code generate-key} without {@code --prefix}. */
    public static final String DEFAULT_PREFIX = "aka";
    /** The base62 digits, in value order. */
    public static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    /** How many random characters a key has. */
    public static final int RANDOM_LENGTH = 43;
    /** How many characters of checksum end a key. */
    public static final int CHECKSUM_LENGTH = 6;
    /** The shortest and longest prefix, without its underscore. */
    public static final int MIN_PREFIX = 2;
    public static final int MAX_PREFIX = 10;
    /** A whole key, any prefix: what the service checks the checksum of. */
    public static final Pattern SHAPE = Pattern.compile(
            "[a-z0-9]{" + MIN_PREFIX + "," + MAX_PREFIX + "}_[0-9A-Za-z]{" + (RANDOM_LENGTH + CHECKSUM_LENGTH) + "}");

    private static final Pattern PREFIX = Pattern.compile("[a-z0-9]{" + MIN_PREFIX + "," + MAX_PREFIX + "}");
    private static final int TAIL = RANDOM_LENGTH + CHECKSUM_LENGTH;
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyFormat() {
    }

    /** Whether {@code prefix} (without its underscore) may start a key: 2–10 characters of {@code [a-z0-9]}. */
    public static boolean isValidPrefix(String prefix) {
        return PREFIX.matcher(prefix).matches();
    }

    /**
     * A new key: {@code prefix_}, 43 characters drawn uniformly from base62 by {@link SecureRandom}
     * (no modulo bias), and the checksum.
     *
     * @throws IllegalArgumentException if the prefix is not {@linkplain #isValidPrefix valid}
     */
    public static String generate(String prefix) {
        if (!isValidPrefix(prefix)) {
            throw new IllegalArgumentException("a key prefix is 2-10 characters of a-z 0-9");
        }
        StringBuilder key = new StringBuilder(prefix.length() + 1 + TAIL).append(prefix).append('_');
        for (int i = 0; i < RANDOM_LENGTH; i++) {
            key.append(BASE62.charAt(RANDOM.nextInt(BASE62.length())));
        }
        return key.append(checksum(key)).toString();
    }

    /** The 6 base62 characters of checksum of {@code body}: its ASCII bytes' CRC32, big-endian, padded with 0. */
    public static String checksum(CharSequence body) {
        CRC32 crc = new CRC32();
        crc.update(body.toString().getBytes(StandardCharsets.US_ASCII));
        return base62(crc.getValue(), CHECKSUM_LENGTH);
    }

    /** {@code value} in base62, most significant digit first, left-padded with {@code 0} to {@code width}. */
    static String base62(long value, int width) {
        char[] digits = new char[width];
        long rest = value;
        for (int i = width - 1; i >= 0; i--) {
            digits[i] = BASE62.charAt((int) (rest % BASE62.length()));
            rest /= BASE62.length();
        }
        if (rest != 0) {
            throw new IllegalArgumentException(value + " needs more than " + width + " base62 digits");
        }
        return new String(digits);
    }

    /** Whether {@code token} has the form of a generated key, whatever its checksum ({@link #SHAPE}). */
    public static boolean hasShape(String token) {
        int underscore = token.length() - TAIL - 1;
        if (underscore < MIN_PREFIX || underscore > MAX_PREFIX || token.charAt(underscore) != '_') {
            return false;
        }
        for (int i = 0; i < underscore; i++) {
            char c = token.charAt(i);
            if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9')) {
                return false;
            }
        }
        for (int i = underscore + 1; i < token.length(); i++) {
            char c = token.charAt(i);
            if (!(c >= '0' && c <= '9') && !(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z')) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code token} has the form of a generated key but a checksum that does not match: a key
     * cut or changed in copying, or a guess. Such a token can be no key, so it is refused unhashed.
     * Tokens of any other form are not judged here.
     */
    public static boolean isDamaged(String token) {
        if (!hasShape(token)) {
            return false;
        }
        int split = token.length() - CHECKSUM_LENGTH;
        return !checksum(token.substring(0, split)).equals(token.substring(split));
    }
}
