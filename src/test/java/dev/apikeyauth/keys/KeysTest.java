package dev.apikeyauth.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeysTest {

    @Test
    void digest_ofKnownInput_isSha256Hex() {
        // echo -n abc | sha256sum
        assertEquals("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                KeyDigest.of("abc").format());
    }

    @Test
    void digest_parsesItsOwnFormat_andComparesByValue() {
        KeyDigest digest = KeyDigest.of("abc");
        KeyDigest parsed = KeyDigest.parse(digest.format().toUpperCase().replace("SHA256:", "sha256:"));
        assertEquals(digest, parsed);
        assertEquals(digest.hashCode(), parsed.hashCode());
    }

    @Test
    void digest_toString_isRedacted() {
        assertEquals("KeyDigest[redacted]", KeyDigest.of("abc").toString());
        assertFalse(new ApiKey("x", KeyDigest.of("abc"), null).toString().contains("ba7816bf"));
    }

    @Test
    void digest_parseErrors_neverRepeatTheInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KeyDigest.parse("sha256:zz" + "0".repeat(62)));
        assertFalse(e.getMessage().contains("zz"));
        assertThrows(IllegalArgumentException.class, () -> KeyDigest.parse("md5:" + "0".repeat(64)));
        assertThrows(IllegalArgumentException.class, () -> KeyDigest.parse("sha256:" + "0".repeat(63)));
    }

    @Test
    void problemWith_shortAndNonAsciiKeys_withoutQuotingThem() {
        String problem = Keys.problemWith("short-key");
        assertNotNull(problem);
        assertFalse(problem.contains("short-key"));
        assertNotNull(Keys.problemWith("sixteen chars ok"));
        assertNotNull(Keys.problemWith("sixteen-chars-ok\u00e9"));
        assertNull(Keys.problemWith("sixteen-chars-ok"));
    }

    @Test
    void ids_areOneTo64SafeCharacters() {
        assertTrue(Keys.isValidId("ci-runner.v2_A"));
        assertTrue(Keys.isValidId("a".repeat(64)));
        assertFalse(Keys.isValidId("a".repeat(65)));
        assertFalse(Keys.isValidId(""));
        assertFalse(Keys.isValidId("has space"));
        assertFalse(Keys.isValidId("sl/ash"));
    }

    @Test
    void keySet_findsByDigest_andRefusesDuplicates() {
        ApiKey a = new ApiKey("a", KeyDigest.of("key-a-0123456789"), null);
        ApiKey b = new ApiKey("b", KeyDigest.of("key-b-0123456789"), null);
        KeySet set = KeySet.of(List.of(a, b));
        assertSame(a, set.find(KeyDigest.of("key-a-0123456789")));
        assertNull(set.find(KeyDigest.of("key-c-0123456789")));
        assertEquals(List.of("a", "b"), set.ids());
        assertEquals("KeySet[a, b]", set.toString());
        IllegalArgumentException sameId = assertThrows(IllegalArgumentException.class,
                () -> KeySet.of(List.of(a, new ApiKey("a", KeyDigest.of("other-key-0123456"), null))));
        assertEquals("duplicate key id 'a'", sameId.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> KeySet.of(List.of(a, new ApiKey("c", KeyDigest.of("key-a-0123456789"), null))));
    }
}
