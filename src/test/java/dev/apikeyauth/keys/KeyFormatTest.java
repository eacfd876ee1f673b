package dev.apikeyauth.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The generated key's form: prefix, 43 random base62 characters, 6 of CRC32 checksum. */
class KeyFormatTest {
    /** The worked example of docs/keys.md: visibly fake, with a correct checksum. */
    static final String EXAMPLE = "aka_EXAMPLEkeyDoNotUseEXAMPLEkeyDoNotUseEXAMPLE1b0luv";

    @Test
    void generate_givesAka_43Base62_and6OfChecksum_53InAll() {
        String key = Keys.generate();
        assertEquals(53, key.length());
        assertTrue(key.matches("aka_[0-9A-Za-z]{49}"), key);
        assertTrue(KeyFormat.hasShape(key));
        assertFalse(KeyFormat.isDamaged(key));
        assertNull(Keys.problemWith(key));
        assertNotEquals(key, Keys.generate());
    }

    @Test
    void theWorkedExample_isTheCrc32OfTheBody_inBase62() {
        String body = EXAMPLE.substring(0, 47);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(body.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(0x57343DB5L, crc.getValue());
        assertEquals(1463041461L, crc.getValue());
        // 1·62^5 + 37·62^4 + 0·62^3 + 47·62^2 + 56·62 + 57: the digits 1 b 0 l u v
        assertEquals(1463041461L, 916132832L + 37 * 14776336L + 0 + 47 * 3844L + 56 * 62L + 57);
        assertEquals("1b0luv", KeyFormat.checksum(body));
        assertFalse(KeyFormat.isDamaged(EXAMPLE));
    }

    @Test
    void base62_isBigEndian_andLeftPaddedWithZero() {
        assertEquals("000000", KeyFormat.base62(0, 6));
        assertEquals("00000z", KeyFormat.base62(61, 6));
        assertEquals("000010", KeyFormat.base62(62, 6));
        assertEquals("4gfFC3", KeyFormat.base62(0xFFFFFFFFL, 6));
        assertThrows(IllegalArgumentException.class, () -> KeyFormat.base62(62L * 62 * 62, 2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab", "acme", "prod2", "0123456789"})
    void aPrefix_of2To10LowerCaseLettersAndDigits_startsTheKey(String prefix) {
        String key = KeyFormat.generate(prefix);
        assertTrue(key.startsWith(prefix + "_"), key);
        assertEquals(prefix.length() + 50, key.length());
        assertFalse(KeyFormat.isDamaged(key));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "acme_", "Acme", "ac-me", "abcdefghijk", "ké"})
    void otherPrefixes_areRefused(String prefix) {
        assertFalse(KeyFormat.isValidPrefix(prefix));
        assertThrows(IllegalArgumentException.class, () -> KeyFormat.generate(prefix));
    }

    @Test
    void aWrongChecksum_isDamaged_andAKeyOfAnotherForm_isNotJudged() {
        assertTrue(KeyFormat.isDamaged(EXAMPLE.substring(0, 52) + "w"));
        assertTrue(KeyFormat.isDamaged("aka_" + "0".repeat(49)));
        // Cut by one character at the front, it is still of the form (prefix "ka"), and fails its checksum.
        assertTrue(KeyFormat.isDamaged(EXAMPLE.substring(1)));
        // Other forms keep working: base64url keys, a prefix too long or upper case, a length off by one.
        for (String other : new String[] {"hofm3j7NzshPl8dAGkGzMzmdi8gdIt9Dt26ZixRBEHE", "test-key-7f3c9a1e5b2d8f40c6e1",
            EXAMPLE.substring(0, 52), EXAMPLE + "0", "AKA_" + EXAMPLE.substring(4), "abcdefghijk_" + "0".repeat(49),
            "aka-" + EXAMPLE.substring(4), "aka_" + "0".repeat(48) + "-"}) {
            assertFalse(KeyFormat.hasShape(other), other);
            assertFalse(KeyFormat.isDamaged(other), other);
        }
    }

    @Test
    void aPlainTextKey_ofTheGeneratedFormWithAWrongChecksum_isRefused_withoutQuotingIt() {
        String damaged = EXAMPLE.substring(0, 52) + "w";
        String problem = Keys.problemWith(damaged);
        assertNotNull(problem);
        assertTrue(problem.contains("checksum"), problem);
        assertFalse(problem.contains("EXAMPLE"), problem);
    }

    @Test
    void generatedKeys_useEveryBase62Character() {
        Set<Character> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String key = Keys.generate();
            for (char c : key.substring(4, 47).toCharArray()) {
                seen.add(c);
            }
        }
        assertEquals(62, seen.size(), seen.toString());
    }

    @Property(tries = 500)
    void everyGeneratedKey_matchesTheDocumentedPattern_andPassesItsChecksum(@ForAll("prefixes") String prefix) {
        String key = KeyFormat.generate(prefix);
        assertTrue(KeyFormat.SHAPE.matcher(key).matches(), key);
        assertTrue(KeyFormat.hasShape(key), key);
        assertFalse(KeyFormat.isDamaged(key), key);
    }

    @Property(tries = 1000)
    void changingAnyOneCharacterOfTheTail_breaksTheChecksum(@ForAll @IntRange(min = 0, max = 48) int position,
                                                            @ForAll @IntRange(min = 1, max = 61) int shift) {
        String key = Keys.generate();
        int at = 4 + position;
        char changed = KeyFormat.BASE62.charAt((KeyFormat.BASE62.indexOf(key.charAt(at)) + shift) % 62);
        String typo = key.substring(0, at) + changed + key.substring(at + 1);
        // CRC32 catches every one-character change: a change to the body is an error burst under 32 bits.
        assertTrue(KeyFormat.isDamaged(typo), typo);
    }

    @Property(tries = 2000)
    void hasShape_agreesWithTheRegularExpression(@ForAll("nearKeys") String token) {
        assertEquals(KeyFormat.SHAPE.matcher(token).matches(), KeyFormat.hasShape(token), token);
    }

    @Provide
    Arbitrary<String> prefixes() {
        return Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789").ofMinLength(2).ofMaxLength(10);
    }

    /** Strings on both sides of the key's shape: a prefix, a separator and a tail, each nearly right. */
    @Provide
    Arbitrary<String> nearKeys() {
        Arbitrary<String> prefix = Arbitraries.strings().withChars("abcxyz019AZ_-").ofMinLength(0).ofMaxLength(12);
        Arbitrary<String> separator = Arbitraries.of("_", "_", "_", "-", "");
        Arbitrary<String> tail = Arbitraries.strings().withChars(KeyFormat.BASE62 + KeyFormat.BASE62 + "_-+/=")
                .ofMinLength(47).ofMaxLength(51);
        return Combinators.combine(prefix, separator, tail).as((p, s, t) -> p + s + t);
    }
}
