package dev.apikeyauth.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BearerParserTest {

    @Test
    void noHeader_isMissing() {
        assertEquals(Credentials.Kind.MISSING, BearerParser.parse(Collections.emptyEnumeration()).kind());
        assertEquals(Credentials.Kind.MISSING, BearerParser.parse((java.util.Enumeration<String>) null).kind());
    }

    @Test
    void oneHeader_isReadAsItsValue() {
        Credentials credentials = BearerParser.parse(Collections.enumeration(List.of("Bearer abc")));
        assertEquals(Credentials.Kind.BEARER, credentials.kind());
        assertEquals("abc", credentials.token());
    }

    @Test
    void twoHeaders_areMultiple_evenWhenBothAreValid() {
        var values = Collections.enumeration(List.of("Bearer abc", "Bearer abc"));
        assertEquals(Credentials.Kind.MULTIPLE, BearerParser.parse(values).kind());
    }

    @Test
    void twoHeaders_areMultiple_evenWhenOneIsEmpty() {
        var values = Collections.enumeration(List.of("", "Bearer abc"));
        assertEquals(Credentials.Kind.MULTIPLE, BearerParser.parse(values).kind());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Bearer abc|abc",
        "bearer abc|abc",
        "BEARER abc|abc",
        "bEaReR abc|abc",
        "'Bearer    abc'|abc",
        "'Bearer abc   '|abc",
        "'Bearer   abc   '|abc",
        "'Bearer k extra'|'k extra'",
        "'Bearer a  b'|'a  b'",
        "'Bearer \tabc'|'\tabc'",
        "Bearer a=b/c+d|a=b/c+d",
    })
    void bearerToken_isTheRestWithoutOuterSpaces(String value, String token) {
        Credentials credentials = BearerParser.parse(value);
        assertEquals(Credentials.Kind.BEARER, credentials.kind());
        assertEquals(token, credentials.token());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "Bearer", "Bearer ", "Bearer     ", "Bearer\tabc", "Bearer\t abc",
        "Basic abc", "Token abc", "Bearerabc", "Bearer_abc", " Bearer abc", "abc", "Bearer\u00a0abc",
        "Bearers abc", "Beare abc"})
    void anythingElse_isMalformed(String value) {
        Credentials credentials = BearerParser.parse(value);
        assertEquals(Credentials.Kind.MALFORMED, credentials.kind());
        assertNull(credentials.token());
    }

    @Test
    void toString_neverShowsTheToken() {
        String shown = BearerParser.parse("Bearer super-secret-token-123").toString();
        assertEquals("Credentials[BEARER]", shown);
        assertFalse(shown.contains("secret"));
    }
}
