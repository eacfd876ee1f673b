package dev.apikeyauth.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** CONTRACT §1, the key header: its value is a key; with anything else beside it, it is refused. */
class RequestCredentialsTest {
    static Enumeration<String> values(String... values) {
        return Collections.enumeration(List.of(values));
    }

    static Credentials read(Enumeration<String> authorization, Enumeration<String> keyHeader) {
        return RequestCredentials.read(authorization, keyHeader);
    }

    @Test
    void withoutAKeyHeaderConfigured_onlyAuthorizationCounts() {
        assertEquals("abc-key", read(values("Bearer abc-key"), null).token());
        assertEquals(Credentials.Kind.MISSING, read(values(), null).kind());
        assertEquals(Credentials.Kind.MULTIPLE, read(values("Bearer a", "Bearer a"), null).kind());
    }

    @Test
    void withTheKeyHeaderAbsent_authorizationIsReadAsBefore() {
        assertEquals("abc-key", read(values("Bearer abc-key"), values()).token());
        assertEquals(Credentials.Kind.MALFORMED, read(values("Basic x"), values()).kind());
        assertEquals(Credentials.Kind.MISSING, read(values(), values()).kind());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"abc-key|abc-key", "'  abc-key  '|abc-key", "'a b'|'a b'",
        "'Bearer abc'|'Bearer abc'"})
    void theKeyHeadersWholeValue_withoutOuterSpaces_isTheToken(String value, String token) {
        Credentials credentials = read(values(), values(value));
        assertEquals(Credentials.Kind.BEARER, credentials.kind());
        assertEquals(token, credentials.token());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"''", "'   '"})
    void anEmptyKeyHeader_isMissing(String value) {
        Credentials credentials = read(values(), values(value));
        assertEquals(Credentials.Kind.MISSING, credentials.kind());
        assertNull(credentials.token());
    }

    @Test
    void theKeyHeaderTwice_orBesideAuthorization_isMultipleCredentials_whateverTheyHold() {
        assertEquals(Credentials.Kind.MULTIPLE_CREDENTIALS, read(values(), values("k", "k")).kind());
        assertEquals(Credentials.Kind.MULTIPLE_CREDENTIALS, read(values(), values("", "k")).kind());
        assertEquals(Credentials.Kind.MULTIPLE_CREDENTIALS, read(values("Bearer k"), values("k")).kind());
        assertEquals(Credentials.Kind.MULTIPLE_CREDENTIALS, read(values(""), values("k")).kind());
        assertEquals(Credentials.Kind.MULTIPLE_CREDENTIALS, read(values("Bearer k"), values("")).kind());
    }

    @Test
    void twoAuthorizationHeaders_stayTheirOwnRow_evenBesideTheKeyHeader() {
        assertEquals(Credentials.Kind.MULTIPLE, read(values("Bearer k", "Bearer k"), values("k")).kind());
    }
}
