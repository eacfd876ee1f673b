package dev.apikeyauth.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Digest equality is the key check: a hash map finds candidates by hash code, and {@code equals}
 * alone decides. A hash code is a few bytes of the digest, so equal hash codes prove nothing.
 */
class KeyDigestTest {
    static final String ZEROS = "0".repeat(64);

    /** A digest that shares {@code digest}'s first 31 bytes and differs in its last one. */
    static KeyDigest lastByteFlipped(KeyDigest digest) {
        String hex = digest.format().substring(KeyDigest.PREFIX.length());
        int last = Integer.parseInt(hex.substring(62), 16) ^ 0x01;
        return KeyDigest.parse(KeyDigest.PREFIX + hex.substring(0, 62) + String.format(Locale.ROOT, "%02x", last));
    }

    @Test
    void digestsThatDifferOnlyInTheirLastByte_areNotEqual_thoughTheirHashCodesAre() {
        KeyDigest zeros = KeyDigest.parse(KeyDigest.PREFIX + ZEROS);
        KeyDigest one = KeyDigest.parse(KeyDigest.PREFIX + "0".repeat(63) + "1");
        assertEquals(zeros.hashCode(), one.hashCode(), "precondition: the same hash code");
        assertNotEquals(zeros, one);
        assertNotEquals(one, zeros);
    }

    @Test
    void aKeySet_findsNoKeyForADigestWithTheSameHashCode_butOtherBytes() {
        KeyDigest real = KeyDigest.of("the-real-key-0123456789");
        KeyDigest near = lastByteFlipped(real);
        assertEquals(real.hashCode(), near.hashCode(), "precondition: the same hash code");
        ApiKey key = new ApiKey("real", real, null);
        KeySet keys = KeySet.of(List.of(key));
        assertNull(keys.find(near));
        assertSame(key, keys.find(KeyDigest.of("the-real-key-0123456789")));
    }

    @Test
    void twoKeysWhoseDigestsShareAHashCode_areTwoKeys_inAKeysFileToo() throws KeysFileException {
        KeyDigest real = KeyDigest.of("the-real-key-0123456789");
        String text = "real " + real.format() + "\n" + "near " + lastByteFlipped(real).format() + "\n";
        List<ApiKey> parsed = KeysFile.parse("keys.txt", text, Set.of());
        assertEquals(List.of("near", "real"), KeySet.of(parsed).ids());
    }

    @Test
    void aDigestEqualsOnlyDigests_ofTheSameBytes() {
        KeyDigest digest = KeyDigest.of("abc");
        assertEquals(digest, digest);
        assertEquals(digest, KeyDigest.parse(digest.format()));
        assertNotEquals(digest, KeyDigest.of("abd"));
        assertNotEquals(digest, (Object) digest.format());
        assertNotEquals(digest, null);
    }
}
