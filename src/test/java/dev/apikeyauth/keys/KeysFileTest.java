package dev.apikeyauth.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        "'ci'|line 1: expected 'id sha256:<64 hex digits> [expires=<instant>] [scopes=<a,b>]'",
        "'ci A expires=2027-01-01T00:00:00Z scopes=a extra'|line 1: too many fields",
        "'ci A expires=2027-01-01T00:00:00Z extra'|line 1: after the digest, expected expires=<ISO-8601 instant> or scopes=<a,b>",
        "'bad/id A'|line 1: id must be 1-64 characters of A-Z a-z 0-9 . _ -",
        "'ci md5:0123'|line 1: digest must start with 'sha256:'",
        "'ci sha256:abc'|line 1: digest must be sha256: followed by 64 hex digits",
        "'ci A ttl=5'|line 1: after the digest, expected expires=<ISO-8601 instant> or scopes=<a,b>",
        "'ci A scopes=a scopes=b'|line 1: scopes is given twice",
        "'ci A expires=2027-01-01T00:00:00Z expires=2028-01-01T00:00:00Z'|line 1: expires is given twice",
        "'ci A scopes='|line 1: scopes must be names of 1-32 characters of a-z 0-9 : . _ - separated by commas",
        "'ci A scopes=Metrics'|line 1: scopes must be names of 1-32 characters of a-z 0-9 : . _ - separated by commas",
        "'ci A scopes=a,,b'|line 1: scopes must be names of 1-32 characters of a-z 0-9 : . _ - separated by commas",
        "'ci A scopes=a,'|line 1: scopes must be names of 1-32 characters of a-z 0-9 : . _ - separated by commas",
        "'ci A scopes=a;b'|line 1: scopes must be names of 1-32 characters of a-z 0-9 : . _ - separated by commas",
        "'ci A scopes=abcdefghijabcdefghijabcdefghijabc'|line 1: scopes must be names of 1-32 characters",
        "'ci A scopes=read,read'|line 1: scope 'read' is listed twice",
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
        assertEquals("keys file keys.txt line 3: expected 'id sha256:<64 hex digits> [expires=<instant>] "
                + "[scopes=<a,b>]'", message);
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
        assertEquals("keys file keys.txt line 1: after the digest, expected expires=<ISO-8601 instant> or "
                + "scopes=<a,b>", rejected("ci " + A + " #comment\n"));
    }

    @Test
    void scopes_areOptional_inEitherOrderWithExpires_andAKeyWithoutThemHoldsEveryScope() throws KeysFileException {
        List<ApiKey> keys = parse("all " + A + "\n"
                + "ci " + B + " scopes=read,metrics\n"
                + "partner " + KeyDigest.of("key-c-0123456789abcdef").format()
                + " scopes=a:b.c_d-1 expires=2027-03-01T00:00:00Z\n");
        assertEquals(Scopes.ALL, keys.get(0).scopes());
        assertTrue(keys.get(0).scopes().includes("metrics"));
        assertEquals(Set.of("metrics", "read"), keys.get(1).scopes().names());
        assertTrue(keys.get(1).scopes().includes("metrics"));
        assertFalse(keys.get(1).scopes().includes("write"));
        assertEquals(Set.of("a:b.c_d-1"), keys.get(2).scopes().names());
        assertEquals(Instant.parse("2027-03-01T00:00:00Z"), keys.get(2).expiresAt());
    }

    @Test
    void badScopes_nameFileAndLine_withoutTheDigest() {
        String message = rejected("# keys\nci " + A + " scopes=UPPER\n");
        assertTrue(message.startsWith("keys file keys.txt line 2: scopes must be"), message);
        assertFalse(message.contains(A_HEX), message);
        assertFalse(message.contains("UPPER"), message);
    }

    @Test
    void format_thenParse_givesTheSameKeys() throws KeysFileException {
        List<ApiKey> keys = parse("ci " + A + "\npartner " + B + " expires=2027-03-01T00:00:00Z scopes=read,metrics\n"
                + "third " + KeyDigest.of("key-c-0123456789abcdef").format() + " scopes=metrics\n");
        assertEquals(keys, parse(KeysFile.format(keys)));
        assertTrue(KeysFile.format(keys).contains(" scopes=metrics,read\n"), KeysFile.format(keys));
    }
}
