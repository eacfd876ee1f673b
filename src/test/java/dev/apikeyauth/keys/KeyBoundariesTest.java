package dev.apikeyauth.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The edges of every accepted range of keys, identities and keys files: the last value in and the
 * first value out, on both sides.
 */
class KeyBoundariesTest {
    static final String SIXTEEN = "abcdefghijklmnop";
    static final String FILE_KEY = "boundaries-file-key-0123456789";

    @TempDir
    Path dir;

    // --- key length: 16 characters or more

    @Test
    void aKeyOf16Characters_isAccepted_and15_isRefused_sayingHowLongItIs() {
        assertNull(Keys.problemWith(SIXTEEN));
        assertEquals("must be at least 16 characters (it has 15)", Keys.problemWith(SIXTEEN.substring(1)));
    }

    // --- key characters: visible ASCII, '!' (0x21) to '~' (0x7e)

    @ParameterizedTest
    @ValueSource(chars = {'!', '~', '0', 'z', '"', '\\'})
    void visibleAsciiCharacters_fromBangToTilde_areAccepted(char c) {
        assertNull(Keys.problemWith(SIXTEEN + c));
        assertNull(Keys.problemWith(c + SIXTEEN));
    }

    @ParameterizedTest
    @ValueSource(chars = {' ', '\u007f', '\u001f', '\t', '\u0080', '\u00e9'})
    void aSpaceDeleteOrAnythingOutsideVisibleAscii_isRefused_namingItsPosition(char c) {
        assertEquals("must be visible ASCII with no spaces (character 17 is not)", Keys.problemWith(SIXTEEN + c));
        assertEquals("must be visible ASCII with no spaces (character 1 is not)", Keys.problemWith(c + SIXTEEN));
    }

    // --- identities: 1 to 64 characters

    @Test
    void aKeysFileId_of64Characters_isAccepted_and65_isRefused() throws KeysFileException {
        String digest = KeyDigest.of(FILE_KEY).format();
        List<ApiKey> keys = KeysFile.parse("keys.txt", "x".repeat(64) + " " + digest + "\n", Set.of());
        assertEquals("x".repeat(64), keys.get(0).id());
        KeysFileException e = assertThrows(KeysFileException.class,
                () -> KeysFile.parse("keys.txt", "x".repeat(65) + " " + digest + "\n", Set.of()));
        assertEquals("keys file keys.txt line 1: id must be 1-64 characters of A-Z a-z 0-9 . _ -", e.getMessage());
    }

    @Test
    void aOneCharacterId_isAccepted() throws KeysFileException {
        List<ApiKey> keys = KeysFile.parse("keys.txt", "x " + KeyDigest.of(FILE_KEY).format() + "\n", Set.of());
        assertEquals("x", keys.get(0).id());
    }

    // --- keys file size: at most KeysFile.MAX_BYTES (1 MiB)

    /** A valid keys file of exactly {@code size} bytes: one key, then a comment to fill it up. */
    Path keysFileOf(long size) throws IOException {
        String line = "one " + KeyDigest.of(FILE_KEY).format() + "\n";
        String filler = "#" + "x".repeat((int) size - line.length() - 2) + "\n";
        Path file = Files.writeString(dir.resolve("keys.txt"), line + filler, StandardCharsets.UTF_8);
        assertEquals(size, Files.size(file), "precondition: the file's size");
        return file;
    }

    @Test
    void aKeysFileOfExactly1MiB_isLoaded() throws Exception {
        Path file = keysFileOf(KeysFile.MAX_BYTES);
        try (ReloadingKeyStore store = ReloadingKeyStore.open(file, List.of(), ReloadListener.NONE,
                Duration.ofHours(1), Duration.ZERO)) {
            assertEquals(List.of("one"), store.current().ids());
        }
    }

    @Test
    void aKeysFileOneByteOver1MiB_isRefused() throws Exception {
        Path file = keysFileOf(KeysFile.MAX_BYTES + 1);
        KeysFileException e = assertThrows(KeysFileException.class, () -> ReloadingKeyStore.open(file, List.of(),
                ReloadListener.NONE, Duration.ofHours(1), Duration.ZERO));
        assertEquals("keys file " + file + ": is larger than 1024 KiB", e.getMessage());
    }
}
