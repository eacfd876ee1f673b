package dev.apikeyauth.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The hand-written JSON bodies are byte for byte what Jackson writes. */
class ResponsesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"Hello, World!", "Not authenticated", "Could not validate credentials",
        "Multiple Authorization headers", "Not Found", "Method Not Allowed", "Internal Server Error",
        "HTTP Version Not Supported", "quote \" and backslash \\", "tab\tnew\nline\rcr\bbs\fff",
        "control \u0001\u001f", ""})
    void member_isWhatJacksonWrites(String value) throws Exception {
        assertArrayEquals(MAPPER.writeValueAsBytes(Map.of("detail", value)), Responses.detailBody(value),
                new String(Responses.detailBody(value), java.nio.charset.StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"unicode é ✓ \ud83d\ude00"})
    void member_beyondAscii_readsBackAsTheSameText(String value) throws Exception {
        // Jackson escapes a surrogate pair where this writes its UTF-8 bytes: the same JSON text.
        assertEquals(Map.of("detail", value), MAPPER.readValue(Responses.detailBody(value), Map.class));
    }

    @ParameterizedTest
    @ValueSource(strings = {"message", "status"})
    void constants_areTheContractsBodies(String name) throws Exception {
        byte[] body = name.equals("message") ? Responses.HELLO : Responses.UP;
        assertEquals(name.equals("message") ? Map.of("message", "Hello, World!") : Map.of("status", "UP"),
                MAPPER.readValue(body, Map.class));
    }
}
