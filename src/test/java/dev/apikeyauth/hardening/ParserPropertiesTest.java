package dev.apikeyauth.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apikeyauth.auth.Authenticator;
import dev.apikeyauth.auth.BearerParser;
import dev.apikeyauth.auth.Credentials;
import dev.apikeyauth.auth.Outcome;
import dev.apikeyauth.keys.ApiKey;
import dev.apikeyauth.keys.KeyDigest;
import dev.apikeyauth.keys.KeySet;
import dev.apikeyauth.keys.KeyStore;
import dev.apikeyauth.keys.Keys;
import dev.apikeyauth.keys.KeysFile;
import dev.apikeyauth.keys.KeysFileException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Properties of the two parsers a caller or an operator feeds: Authorization and the keys file. */
class ParserPropertiesTest {
    static final String KEY = Keys.generate();
    static final Authenticator AUTHENTICATOR = new Authenticator(
            KeyStore.fixed(KeySet.of(List.of(new ApiKey("k", KeyDigest.of(KEY), null)))), Clock.systemUTC());

    @Property(tries = 2000)
    void authorizationParser_neverThrows_andOnlyBearerHasAToken(@ForAll String value) {
        Credentials credentials = BearerParser.parse(value);
        assertNotNull(credentials.kind());
        if (credentials.kind() == Credentials.Kind.BEARER) {
            assertTrue(value.regionMatches(true, 0, "Bearer ", 0, 7), value);
            assertEquals(credentials.token(), credentials.token().strip().isEmpty() ? null : credentials.token());
            assertTrue(!credentials.token().startsWith(" ") && !credentials.token().endsWith(" "));
        } else {
            assertNull(credentials.token());
        }
        // Whatever the header, the check answers with an outcome; it never throws.
        assertNotNull(AUTHENTICATOR.authenticate(credentials).outcome());
    }

    @Provide
    Arbitrary<String> schemes() {
        return Arbitraries.of("bearer", "Bearer", "BEARER").flatMap(base ->
                Arbitraries.integers().between(0, (1 << 6) - 1).map(mask -> {
                    StringBuilder out = new StringBuilder();
                    for (int i = 0; i < 6; i++) {
                        char c = base.charAt(i);
                        out.append((mask & (1 << i)) != 0 ? Character.toUpperCase(c) : Character.toLowerCase(c));
                    }
                    return out.toString();
                }));
    }

    @Property(tries = 500)
    void validKey_isAccepted_underAnyLegalSpacingAndSchemeCase(@ForAll("schemes") String scheme,
            @ForAll @IntRange(min = 1, max = 20) int before, @ForAll @IntRange(min = 0, max = 20) int after) {
        String value = scheme + " ".repeat(before) + KEY + " ".repeat(after);
        Authenticator.Result result = AUTHENTICATOR.authenticate(BearerParser.parse(value));
        assertEquals(Outcome.OK, result.outcome(), value);
    }

    @Property(tries = 1000)
    void anySingleByteChange_toAValidKey_isRejected(@ForAll @IntRange(min = 0, max = 42) int position,
            @ForAll @IntRange(min = 1, max = 255) int delta) {
        char[] chars = KEY.toCharArray();
        char changed = (char) ((chars[position] + delta) & 0xff);
        chars[position] = changed;
        String token = new String(chars);
        Authenticator.Result result = AUTHENTICATOR.authenticate(BearerParser.parse("Bearer " + token));
        assertNotEquals(Outcome.OK, result.outcome(), token);
    }

    @Property(tries = 1000)
    void droppingOrAddingACharacter_isRejected(@ForAll @IntRange(min = 0, max = 42) int position,
            @ForAll("keyChars") char extra) {
        String shorter = KEY.substring(0, position) + KEY.substring(position + 1);
        String longer = KEY.substring(0, position) + extra + KEY.substring(position);
        assertNotEquals(Outcome.OK, AUTHENTICATOR.authenticate(BearerParser.parse("Bearer " + shorter)).outcome());
        assertNotEquals(Outcome.OK, AUTHENTICATOR.authenticate(BearerParser.parse("Bearer " + longer)).outcome());
    }

    @Provide
    Arbitrary<Character> keyChars() {
        return Arbitraries.chars().ascii().filter(c -> c > ' ' && c < 127);
    }

    @Property(tries = 2000)
    void keysFileParser_onlyEverThrowsItsDocumentedError(@ForAll String text) {
        try {
            List<ApiKey> keys = KeysFile.parse("fuzz.txt", text, Set.of());
            assertNotNull(keys);
        } catch (KeysFileException e) {
            assertTrue(e.getMessage().startsWith("keys file fuzz.txt"), e.getMessage());
        }
    }

    @Provide
    Arbitrary<String> keysFileLines() {
        Arbitrary<String> id = Arbitraries.strings().withChars("abcXYZ019._-").ofMinLength(1).ofMaxLength(64);
        Arbitrary<String> line = Combinators.combine(id, Arbitraries.strings().ofMinLength(16).ofMaxLength(40)
                        .alpha(), Arbitraries.of("", " ", "\t", "  \t"),
                Arbitraries.longs().between(0, 4_000_000_000L).injectNull(0.5))
                .as((i, key, pad, expiry) -> i + pad + " " + KeyDigest.of(key).format()
                        + (expiry == null ? "" : " expires=" + Instant.ofEpochSecond(expiry)) + pad);
        Arbitrary<String> noise = Arbitraries.of("", "# comment", "   ", "\t# indented comment");
        return Arbitraries.oneOf(line, line, noise).list().ofMaxSize(12)
                .flatMap(lines -> Arbitraries.of("\n", "\r\n").map(end -> String.join(end, lines) + end))
                .map(text -> text);
    }

    @Property(tries = 1500)
    void validFile_parseFormatParse_isStable(@ForAll("keysFileLines") String text) throws KeysFileException {
        List<ApiKey> first;
        try {
            first = KeysFile.parse("valid.txt", text, Set.of());
        } catch (KeysFileException e) {
            // Generated ids or keys may repeat: the only valid reason to refuse such a file.
            assertTrue(e.getMessage().contains("repeats line") || e.getMessage().contains("same digest"),
                    e.getMessage());
            return;
        }
        String formatted = KeysFile.format(first);
        List<ApiKey> second = KeysFile.parse("valid.txt", formatted, Set.of());
        assertEquals(first, second);
        assertEquals(formatted, KeysFile.format(second));
    }

    @Property(tries = 1000)
    void validFile_withOneLineBroken_isRejected_namingThatLine(@ForAll("keysFileLines") String text,
            @ForAll @IntRange(min = 0, max = 100) int pick) {
        List<String> lines = new ArrayList<>(List.of(text.split("\r?\n", -1)));
        Collections.addAll(lines, "");
        int index = pick % lines.size();
        lines.add(index, "broken-line-without-digest");
        String broken = String.join("\n", lines);
        try {
            KeysFile.parse("broken.txt", broken, Set.of());
            throw new AssertionError("accepted a file with a broken line: " + broken);
        } catch (KeysFileException e) {
            assertTrue(e.getMessage().startsWith("keys file broken.txt line "), e.getMessage());
        }
    }
}
