package dev.apikeyauth.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 digest of an API key: the only form in which the service holds a key.
 *
 * <p>{@link #equals} compares with {@link MessageDigest#isEqual}, so a digest can key a hash map
 * (the lookup that keeps the check O(1)) while the final comparison stays constant-time.
 * {@link #toString()} never prints the bytes: keys-file errors must not name a digest.
 */
public final class KeyDigest {
    /** The prefix of a digest in the keys file and in the output of {@code hash-key}. */
    public static final String PREFIX = "sha256:";
    static final int LENGTH = 32;
    private static final HexFormat HEX = HexFormat.of();
    /** Never updated, only cloned, so sharing it between threads is safe. */
    private static final MessageDigest PROTOTYPE = newSha256();

    private final byte[] bytes;
    private final int hash;

    private KeyDigest(byte[] bytes) {
        this.bytes = bytes;
        // SHA-256 output is uniformly distributed, so its first four bytes are a fine hash code.
        this.hash = (bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8 | (bytes[3] & 0xff);
    }

    /** Hashes a key (its UTF-8 bytes) once. */
    public static KeyDigest of(String key) {
        return new KeyDigest(sha256().digest(key.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Reads {@code sha256:<64 hex digits>}.
     *
     * @throws IllegalArgumentException with a message that never repeats the input
     */
    public static KeyDigest parse(String text) {
        if (!text.startsWith(PREFIX)) {
            throw new IllegalArgumentException("digest must start with '" + PREFIX + "'");
        }
        String hex = text.substring(PREFIX.length());
        if (hex.length() != LENGTH * 2) {
            throw new IllegalArgumentException("digest must be " + PREFIX + " followed by 64 hex digits");
        }
        for (int i = 0; i < hex.length(); i++) {
            if (Character.digit(hex.charAt(i), 16) < 0) {
                throw new IllegalArgumentException("digest must be " + PREFIX + " followed by 64 hex digits");
            }
        }
        return new KeyDigest(HEX.parseHex(hex));
    }

    /** {@code sha256:<lower-case hex>}, the keys-file form. Call it only to write a keys file. */
    public String format() {
        return PREFIX + HEX.formatHex(bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeyDigest that && MessageDigest.isEqual(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "KeyDigest[redacted]";
    }

    /**
     * A fresh SHA-256 digest. Cloned from an unused prototype: every request hashes a token, and
     * {@code getInstance} looks the algorithm up among the security providers each time.
     */
    static MessageDigest sha256() {
        try {
            return (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return newSha256();
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
