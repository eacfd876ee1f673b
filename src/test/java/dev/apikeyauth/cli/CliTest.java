package dev.apikeyauth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apikeyauth.keys.KeyDigest;
import dev.apikeyauth.keys.KeyFormat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The commands of CONTRACT §3, run in-process with their streams captured. */
class CliTest {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String stdin, Map<String, String> env, String... args) {
        Cli cli = new Cli(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                env, () -> false);
        return cli.run(args);
    }

    int run(String... args) {
        return run("", Map.of(), args);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void generateKey_printsKeyOnStdout_andKeysFileLineOnStderr() {
        assertEquals(0, run("generate-key", "--id", "ci-runner"));
        String key = out().strip();
        assertTrue(out().matches("aka_[0-9A-Za-z]{49}\n"), out());
        assertFalse(KeyFormat.isDamaged(key));
        assertEquals("ci-runner " + KeyDigest.of(key).format() + "\n", err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--prefix=acme", "--prefix acme"})
    void generateKey_withAPrefix_startsTheKeyWithIt_andAnUnderscore(String option) {
        String[] args = ("generate-key --id ci " + option).split(" ");
        assertEquals(0, run(args));
        String key = out().strip();
        assertTrue(out().matches("acme_[0-9A-Za-z]{49}\n"), out());
        assertFalse(KeyFormat.isDamaged(key));
        assertEquals("ci " + KeyDigest.of(key).format() + "\n", err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"acme_", "a", "ACME", "ac-me", "abcdefghijk", ""})
    void generateKey_withABadPrefix_exits2WithUsage(String prefix) {
        assertEquals(2, run("generate-key", "--prefix", prefix));
        assertEquals("", out());
        assertTrue(err().startsWith("api-key-auth: --prefix must be 2-10 characters of a-z 0-9 (the '_' after it "
                + "is added), got '" + prefix + "'\n"), err());
        assertTrue(err().contains("Usage: "), err());
    }

    @Test
    void generateKey_withScopes_putsThemInTheKeysFileLine() {
        assertEquals(0, run("generate-key", "--id", "ci", "--scopes", "read,metrics"));
        String key = out().strip();
        assertEquals("ci " + KeyDigest.of(key).format() + " scopes=metrics,read\n", err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Read", "a,,b", "a b", "read,read"})
    void generateKey_withBadScopes_exits2WithUsage(String scopes) {
        assertEquals(2, run("generate-key", "--scopes", scopes));
        assertEquals("", out());
        assertTrue(err().startsWith("api-key-auth: --scopes: "), err());
        assertTrue(err().contains("Usage: "), err());
    }

    @Test
    void generateKey_withAnOptionTwice_exits2() {
        assertEquals(2, run("generate-key", "--id", "a", "--id=b"));
        assertEquals("", out());
        assertTrue(err().startsWith("api-key-auth: --id is given twice\n"), err());
    }

    @Test
    void generateKey_acceptsIdWithEquals() {
        assertEquals(0, run("generate-key", "--id=partner-a"));
        assertTrue(err().startsWith("partner-a sha256:"), err());
    }

    @Test
    void generateKey_withoutId_usesADatedId() {
        assertEquals(0, run("generate-key"));
        assertTrue(err().matches("key-\\d{8}-\\d{6} sha256:[0-9a-f]{64}\n"), err());
    }

    @Test
    void generateKey_givesADifferentKeyEachTime() {
        run("generate-key");
        String first = out();
        out.reset();
        run("generate-key");
        assertFalse(first.equals(out()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"has space", "", "a/b", "x\u00e9"})
    void generateKey_withBadId_exits2(String id) {
        assertEquals(2, run("generate-key", "--id", id));
        assertEquals("", out());
        assertTrue(err().startsWith("api-key-auth: --id must be 1-64 characters"), err());
    }

    @Test
    void generateKey_withIdButNoValue_exits2() {
        assertEquals(2, run("generate-key", "--id"));
        assertTrue(err().startsWith("api-key-auth: --id needs a value\n"), err());
    }

    @Test
    void hashKey_ofKnownInput() {
        // printf 'my-known-key-0123456789' | sha256sum
        String expected = KeyDigest.of("my-known-key-0123456789").format();
        assertEquals(0, run("my-known-key-0123456789", Map.of(), "hash-key"));
        assertEquals(expected + "\n", out());
        assertEquals("", err());
        assertTrue(expected.matches("sha256:[0-9a-f]{64}"));
    }

    @Test
    void hashKey_dropsOneTrailingNewline_lfOrCrLf() {
        String expected = KeyDigest.of("my-known-key-0123456789").format() + "\n";
        run("my-known-key-0123456789\n", Map.of(), "hash-key");
        assertEquals(expected, out());
        out.reset();
        run("my-known-key-0123456789\r\n", Map.of(), "hash-key");
        assertEquals(expected, out());
    }

    @Test
    void hashKey_ofTheSha256TestVector() {
        // The FIPS 180-2 vector: SHA-256("abc...") is known; use a 16+ character input.
        assertEquals(0, run("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", Map.of(), "hash-key"));
        assertEquals("sha256:248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1\n", out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n", "short\n", "two\nlines-of-key-material\n", "key-with-two-newlines-0\n\n"})
    void hashKey_withoutOneUsableKey_exits2(String stdin) {
        assertEquals(2, run(stdin, Map.of(), "hash-key"));
        assertEquals("", out());
        assertTrue(err().startsWith("api-key-auth: hash-key: "), err());
        assertEquals(1, err().lines().count());
    }

    @Test
    void hashKey_ofAGeneratedFormKeyWithAWrongChecksum_exits2() {
        String damaged = "aka_EXAMPLEkeyDoNotUseEXAMPLEkeyDoNotUseEXAMPLE1b0luw";
        assertEquals(2, run(damaged + "\n", Map.of(), "hash-key"));
        assertEquals("", out());
        assertEquals("api-key-auth: hash-key: the key has the form of a generated key but its checksum does not "
                + "match (was it cut or changed when copied?); generate one with: java -jar api-key-auth.jar "
                + "generate-key\n", err());
    }

    @Test
    void hashKey_neverEchoesTheKey() {
        run("not-quite-a-good key\n", Map.of(), "hash-key");
        assertFalse(err().contains("not-quite"), err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h", "help"})
    void help_printsUsageOnStdout(String flag) {
        assertEquals(0, run(flag));
        assertTrue(out().startsWith("Usage: java -jar api-key-auth.jar [command]"), out());
        assertTrue(out().contains("generate-key [--id ID] [--prefix P] [--scopes A,B]"));
        assertEquals("", err());
    }

    @Test
    void version_printsTheProjectVersion() {
        assertEquals(0, run("--version"));
        assertTrue(out().matches("api-key-auth \\d+\\.\\d+\\.\\d+.*\n"), out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"frobnicate", "--port", "-x", "Serve"})
    void unknownCommandOrOption_exits2WithUsage(String arg) {
        assertEquals(2, run(arg));
        assertEquals("", out());
        assertTrue(err().startsWith("api-key-auth: unknown "), err());
        assertTrue(err().contains("Usage: "), err());
    }

    @Test
    void extraArguments_exit2() {
        assertEquals(2, run("serve", "now"));
        assertEquals(2, run("hash-key", "x"));
    }

    @Test
    void serve_withoutAnyKey_andNoTerminal_exits2NamingBothVariables() {
        assertEquals(2, run("", Map.of(), "serve"));
        assertEquals("", out());
        String line = err();
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.contains("AUTH_API_KEY") && line.contains("AUTH_API_KEYS_FILE"), line);
    }

    @Test
    void serve_withBadConfig_exits2WithOneLine() {
        assertEquals(2, run("", Map.of("AUTH_API_KEY", "abc"), "serve"));
        assertEquals("api-key-auth: AUTH_API_KEY must be at least 16 characters (it has 3); "
                + "generate one with: java -jar api-key-auth.jar generate-key\n", err());
    }

    @Test
    void serve_withAnInvalidKeysFile_exits2NamingFileAndLine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("keys.txt"),
                "# keys\nci sha256:" + "0".repeat(63) + "\n");
        assertEquals(2, run("", Map.of("AUTH_API_KEYS_FILE", file.toString()), "serve"));
        assertEquals("api-key-auth: AUTH_API_KEYS_FILE: keys file " + file
                + " line 2: digest must be sha256: followed by 64 hex digits\n", err());
    }

    @Test
    void serve_withAKeysFileThatReusesDefault_exits2(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("keys.txt"),
                "default " + KeyDigest.of("another-key-0123456789").format() + "\n");
        assertEquals(2, run("", Map.of("AUTH_API_KEYS_FILE", file.toString(),
                "AUTH_API_KEY", "cli-test-env-key-0123456789"), "serve"));
        assertTrue(err().contains("line 1: id 'default' is already taken by AUTH_API_KEY"), err());
    }

    @Test
    void serve_withAMissingKeysFile_exits2() {
        assertEquals(2, run("", Map.of("AUTH_API_KEYS_FILE", "/nonexistent/keys.txt"), "serve"));
        assertEquals("api-key-auth: AUTH_API_KEYS_FILE: keys file /nonexistent/keys.txt: does not exist\n", err());
    }
}
