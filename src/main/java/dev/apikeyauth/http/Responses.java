package dev.apikeyauth.http;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;

/**
 * The JSON bodies of the contract, encoded once and written as bytes.
 *
 * <p>Each is a one-member object with a string value, so a few lines of escaping do what a JSON
 * library would; Jackson stays off the start-up path (it was a fifth of the time to the first 200).
 */
final class Responses {
    static final String JSON = "application/json";

    static final byte[] HELLO = member("message", "Hello, World!");
    static final byte[] UP = member("status", "UP");
    static final byte[] DOWN = member("status", "DOWN");
    static final byte[] NOT_FOUND = detailBody("Not Found");
    static final byte[] METHOD_NOT_ALLOWED = detailBody("Method Not Allowed");
    static final byte[] INTERNAL_ERROR = detailBody("Internal Server Error");

    private Responses() {
    }

    static byte[] detailBody(String detail) {
        return member("detail", detail);
    }

    /** {@code {"name":"value"}} in UTF-8, compact, as Jackson writes it. */
    static byte[] member(String name, String value) {
        StringBuilder json = new StringBuilder(name.length() + value.length() + 8).append('{');
        quote(json, name).append(':');
        return quote(json, value).append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A JSON string literal (RFC 8259 §7): quote, backslash and control characters escaped. */
    static StringBuilder quote(StringBuilder json, String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04X", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"');
    }

    /** Writes a JSON body whatever the caller's {@code Accept} says. */
    static void send(Context ctx, int status, byte[] body) {
        ctx.status(status).contentType(JSON).result(body);
    }
}
