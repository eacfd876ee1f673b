package dev.apikeyauth.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.util.Map;

/** The JSON bodies of the contract, serialized once with Jackson and written as bytes. */
final class Responses {
    static final String JSON = "application/json";
    static final ObjectMapper MAPPER = new ObjectMapper();

    static final byte[] HELLO = json(Map.of("message", "Hello, World!"));
    static final byte[] UP = json(Map.of("status", "UP"));
    static final byte[] DOWN = json(Map.of("status", "DOWN"));
    static final byte[] NOT_FOUND = detailBody("Not Found");
    static final byte[] METHOD_NOT_ALLOWED = detailBody("Method Not Allowed");
    static final byte[] INTERNAL_ERROR = detailBody("Internal Server Error");

    private Responses() {
    }

    static byte[] detailBody(String detail) {
        return json(Map.of("detail", detail));
    }

    static byte[] json(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serializable: " + value.getClass().getName(), e);
        }
    }

    /** Writes a JSON body whatever the caller's {@code Accept} says. */
    static void send(Context ctx, int status, byte[] body) {
        ctx.status(status).contentType(JSON).result(body);
    }
}
