package dev.apikeyauth.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeysFileTest {
    static final String A = KeyDigest.of("key-a-0123456789abcdef").format();
    static final String B = KeyDigest.of("key-b-0123456789abcdef").format();
    static final String A_HEX = A.substring("sha256:".length());

    static List<ApiKey> parse(String text) throws KeysFileException {
        return KeysFile.parse("keys.txt", text, Set.of());
    }

    static String rejected(String text) {
        return assertThrows(KeysFileException.class, () -> parse(text)).getMessage();
    }

    @Test
    void theContractExample_parses() throws KeysFileException {
        List<ApiKey> keys = parse("# id          digest                                    expiry (optional)\n"
                + "ci-runner     " + A + "   \n"
                + "partner-a     " + B + "     expires=2027-03-01T00:00:00Z\n");
        assertEquals(2, keys.size());
        assertEquals("ci-runner", keys.get(0).id());
        assertEquals(KeyDigest.of("key-a-0123456789abcdef"), keys.get(0).digest());
        assertNull(keys.get(0).expiresAt());
        assertEquals(Instant.parse("2027-03-01T00:00:00Z"), keys.get(1).expiresAt());
    }

    @Test
    void emptyFile_andOnlyComments_holdNoKeys() throws KeysFileException {
        assertEquals(List.of(), parse(""));
        assertEquals(List.of(), parse("\n\n   \n\t\n"));
        assertEquals(List.of(), parse("# nothing yet\n  # indented comment\n"));
    }

    @Test
    void crlfLineEnds_bom_tabsAndTrailingSpaces_areAccepted() throws KeysFileException {
        List<ApiKey> keys = parse("\uFEFFci\t" + A + "  \t \r\n\r\nother " + B + " expires=2027-03-01T01:00:00+01:00\r\n");
        assertEquals(List.of("ci", "other"), keys.stream().map(ApiKey::id).toList());
        assertEquals(Instant.parse("2027-03-01T00:00:00Z"), keys.get(1).expiresAt());
    }

    @Test
    void upperCaseHex_isTheSameDigest() throws KeysFileException {
        assertEquals(KeyDigest.of("key-a-0123456789abcdef"),
                parse("ci sha256:" + A_HEX.toUpperCase() + "\n").get(0).digest());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "'ci'|line 1: expected 'id sha256:<64 hex digits> [expires=<instant>]'",
        "'ci A expires=2027-01-01T00:00:00Z extra'|line 1: too many fields",
        "'bad/id A'|line 1: id must be 1-64 characters of A-Z a-z 0-9 . _ -",
        "'ci md5:0123'|line 1: digest must start with 'sha256:'",
        "'ci sha256:abc'|line 1: digest must be sha256: followed by 64 hex digits",
        "'ci A ttl=5'|line 1: third field must be expires=<ISO-8601 instant>",
        "'ci A expires=2027-03-01'|line 1: expires must be an ISO-8601 instant such as 2027-03-01T00:00:00Z",
        "'ci A expires=tomorrow'|line 1: expires must be an ISO-8601 instant such as 2027-03-01T00:00:00Z",
        "'ci A expires=2027-13-01T00:00:00Z'|line 1: expires must be an ISO-8601 instant such as 2027-03-01T00:00:00Z",
    })
    void malformedLine_rejectsTheFile_namingFileAndLine(String line, String problem) {
        String message = rejected(line.replace(" A", " " + A));
        assertEquals("keys file keys.txt " + problem, message.substring(0, Math.min(message.length(),
                ("keys file keys.txt " + problem).length())));
        assertFalse(message.contains(A_HEX), message);
    }

    @Test
    void badHex_isRejected_withoutQuotingIt() {
        String digest = "sha256:" + "g".repeat(64);
        String message = rejected("# header\nci " + digest + "\n");
        assertEquals("keys file keys.txt line 2: digest must be sha256: followed by 64 hex digits", message);
    }

    @Test
    void aBadLineAnywhere_rejectsTheWholeFile() {
        String message = rejected("ci " + A + "\nother " + B + "\nbroken\n");
        assertEquals("keys file keys.txt line 3: expected 'id sha256:<64 hex digits> [expires=<instant>]'", message);
    }

    @Test
    void duplicateIds_areRejected() {
        assertEquals("keys file keys.txt line 3: id 'ci' repeats line 1",
                rejected("ci " + A + "\n\nci " + B + "\n"));
    }

    @Test
    void sameDigestUnderTwoIds_isRejected_withoutTheDigest() {
        String message = rejected("ci " + A + "\nci2 " + A + "\n");
        assertEquals("keys file keys.txt line 2: id 'ci2' has the same digest as 'ci'; each key must be different",
                message);
    }

    @Test
    void reservedId_isRejected() {
        KeysFileException e = assertThrows(KeysFileException.class,
                () -> KeysFile.parse("keys.txt", "default " + A + "\n", Set.of("default")));
        assertEquals("keys file keys.txt line 1: id 'default' is already taken by AUTH_API_KEY; choose another id",
                e.getMessage());
    }

    @Test
    void inlineCommentAfterFields_isNotAllowed() {
        assertEquals("keys file keys.txt line 1: third field must be expires=<ISO-8601 instant>",
                rejected("ci " + A + " #comment\n"));
    }

    @Test
    void format_thenParse_givesTheSameKeys() throws KeysFileException {
        List<ApiKey> keys = parse("ci " + A + "\npartner " + B + " expires=2027-03-01T00:00:00Z\n");
        assertEquals(keys, parse(KeysFile.format(keys)));
    }
}
