package dev.apikeyauth.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiErrorTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "400, Bad Request", "404, Not Found", "405, Method Not Allowed", "414, URI Too Long",
        "431, Request Header Fields Too Large", "500, Internal Server Error", "503, Service Unavailable",
        "505, HTTP Version Not Supported",
    })
    void anyStatus_isAnsweredWithItsStandardReason_never_aMessageThatMayQuoteInput(int status, String reason) {
        ApiError error = ApiError.forStatus(status);
        assertEquals(status, error.status());
        assertEquals("{\"detail\":\"" + reason + "\"}", new String(error.body(), StandardCharsets.UTF_8));
        assertNull(error.wwwAuthenticate());
    }

    @Test
    void aStatusWithoutAReason_isAnsweredWithError() {
        assertEquals("{\"detail\":\"Error\"}", new String(ApiError.forStatus(599).body(), StandardCharsets.UTF_8));
    }

    @Test
    void theContractsOwnAnswers_areShared() {
        assertSame(ApiError.NOT_FOUND, ApiError.forStatus(404));
        assertSame(ApiError.METHOD_NOT_ALLOWED, ApiError.forStatus(405));
        assertSame(ApiError.INTERNAL_ERROR, ApiError.forStatus(500));
    }

    @Test
    void insufficientScope_namesTheScopeInItsChallenge() {
        ApiError error = ApiError.insufficientScope("metrics");
        assertEquals(403, error.status());
        assertEquals("{\"detail\":\"Insufficient scope\"}", new String(error.body(), StandardCharsets.UTF_8));
        assertEquals("Bearer error=\"insufficient_scope\", scope=\"metrics\"", error.wwwAuthenticate());
    }

    @Test
    void refusals_carryTheirChallenge() {
        assertEquals("Bearer", ApiError.NOT_AUTHENTICATED.wwwAuthenticate());
        assertEquals("Bearer error=\"invalid_request\"", ApiError.MULTIPLE_AUTHORIZATION.wwwAuthenticate());
        assertNull(ApiError.INVALID_CREDENTIALS.wwwAuthenticate());
        assertEquals(401, ApiError.NOT_AUTHENTICATED.status());
        assertEquals(403, ApiError.INVALID_CREDENTIALS.status());
        assertEquals(400, ApiError.MULTIPLE_AUTHORIZATION.status());
    }
}
