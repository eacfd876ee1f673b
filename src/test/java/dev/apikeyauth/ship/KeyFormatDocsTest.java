package dev.apikeyauth.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apikeyauth.keys.KeyFormat;
import dev.apikeyauth.keys.Keys;
import dev.apikeyauth.testsupport.Markdown;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What docs/keys.md says of the key form holds: its regular expressions find generated keys, its
 * worked example adds up, and every key of the form in any document is the visibly fake kind.
 */
class KeyFormatDocsTest {
    static final Path KEYS_DOC = Path.of("docs", "keys.md");

    static String section(String heading) throws IOException {
        return Markdown.section(Files.readString(KEYS_DOC), heading);
    }

    @Test
    void theDocumentedPatterns_findGeneratedKeys_inText() throws IOException {
        String text = section("Finding leaked keys");
        List<String> plain = Markdown.codeBlocks(text, "");
        assertEquals("aka_[0-9A-Za-z]{49}", plain.get(0).strip());
        Matcher toml = Pattern.compile("regex = '''(.+)'''").matcher(Markdown.codeBlocks(text, "toml").get(0));
        assertTrue(toml.find());
        assertTrue(text.contains("`" + KeyFormat.SHAPE.pattern() + "`"), "the any-prefix pattern is the service's");
        List<Pattern> patterns = List.of(Pattern.compile(plain.get(0).strip()), Pattern.compile(toml.group(1)));
        for (Pattern pattern : patterns) {
            for (int i = 0; i < 50; i++) {
                String key = Keys.generate();
                Matcher found = pattern.matcher("export AUTH_API_KEY=" + key + "\n");
                assertTrue(found.find(), pattern + " " + key);
                assertEquals(key, found.group(found.groupCount() == 1 ? 1 : 0));
            }
            assertFalse(pattern.matcher("aka_" + "x".repeat(48)).find(), pattern.pattern());
        }
        assertFalse(patterns.get(1).matcher("xaka_" + "x".repeat(49)).find(), "gitleaks: a word boundary before");
        assertFalse(patterns.get(1).matcher("aka_" + "x".repeat(50)).find(), "gitleaks: a word boundary after");
    }

    @Test
    void theWorkedExample_addsUp() throws IOException {
        String text = section("The checksum, worked through");
        String body = "aka_EXAMPLEkeyDoNotUseEXAMPLEkeyDoNotUseEXAMPLE";
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(body.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertTrue(text.contains("`" + body + "`"), text);
        assertTrue(text.contains(String.format("`0x%08X`", crc.getValue())), text);
        assertTrue(text.contains(" " + crc.getValue() + "."), text);
        assertTrue(text.contains("`" + KeyFormat.checksum(body) + "`"), text);
    }

    @Test
    void everyKeyOfTheGeneratedForm_inTheDocuments_isTheFakeExample_withARightChecksum() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path document : DocsTest.documents()) {
            Matcher key = Pattern.compile("(?<![0-9A-Za-z_])" + KeyFormat.SHAPE.pattern() + "(?![0-9A-Za-z_])")
                    .matcher(Files.readString(document));
            while (key.find()) {
                String token = key.group();
                found.add(token);
                assertTrue(token.contains("EXAMPLE"), document + ": a real-looking key: " + token);
                assertFalse(KeyFormat.isDamaged(token), document + ": a wrong checksum: " + token);
            }
        }
        assertTrue(found.size() >= 3, found.toString());
    }
}
