package dev.apikeyauth.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apikeyauth.http.TrustedProxies;
import dev.apikeyauth.testsupport.RawHttp;
import dev.apikeyauth.testsupport.RunningApp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the internet sends, byte for byte, over raw sockets: each case with its expected answer
 * from CONTRACT §1, against the app with {@code AUTH_API_KEY_HEADER=X-API-Key}. Whatever the case, no hang (10 s read timeout), no 200 for a protected path
 * without a valid key, no 5xx but the 505 for an unsupported HTTP version, and every answer
 * carries {@code X-Content-Type-Options} and a safe {@code X-Request-Id}.
 */
class BadInputCorpusTest {
    static final String KEY = RunningApp.KEY;
    static final String AUTH = "Authorization: Bearer " + KEY + "\r\n";
    static final String HELLO = "{\"message\":\"Hello, World!\"}";
    static RunningApp app;

    /**
     * The app trusts loopback as a proxy (FORWARDED_ALLOW_IPS=127.0.0.1), so every forwarding
     * header of the corpus is parsed: whatever it holds, it may change no answer.
     */
    @BeforeAll
    static void start() {
        // With the optional key header on, so the corpus reaches its rows too (AUTH_API_KEY_HEADER),
        // and loopback trusted as a proxy, so the forwarding headers are read (FORWARDED_ALLOW_IPS).
        app = RunningApp.start(RunningApp.services().keyHeader("X-API-Key")
                .trustedProxies(TrustedProxies.parse("127.0.0.1")));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    /**
     * One request and what it may get.
     *
     * @param name      what it tries
     * @param bytes     the raw request (several, when pipelined)
     * @param expected  the allowed statuses of each response, in order
     * @param validKey  whether the request carries a valid key (a 200 is allowed only then, or on /health)
     * @param head      whether the responses are to HEAD requests (no body)
     */
    record Case(String name, byte[] bytes, List<Set<Integer>> expected, boolean validKey, boolean head) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case c(String name, String request, Integer... statuses) {
        return new Case(name, request.getBytes(StandardCharsets.ISO_8859_1), List.of(Set.of(statuses)),
                request.contains(KEY), request.startsWith("HEAD "));
    }

    static Case bytes(String name, byte[] request, Integer... statuses) {
        return new Case(name, request, List.of(Set.of(statuses)), false, false);
    }

    static Case pipelined(String name, String request, List<Set<Integer>> statuses) {
        return new Case(name, request.getBytes(StandardCharsets.ISO_8859_1), statuses, true, false);
    }

    static byte[] concat(String before, byte[] middle, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(middle);
        out.writeBytes(after.getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    static String get(String headers) {
        return "GET / HTTP/1.1\r\nHost: test\r\n" + headers + "\r\n";
    }

    static Stream<Case> corpus() {
        String big8k = "a".repeat(8 * 1024);
        String big1m = "a".repeat(1024 * 1024);
        List<Case> cases = new ArrayList<>(List.of(
            // --- the control cases
            c("valid key", get(AUTH), 200),
            c("no Authorization", get(""), 401),
            c("HEAD with valid key", "HEAD / HTTP/1.1\r\nHost: test\r\n" + AUTH + "\r\n", 200),
            // --- malformed and duplicate Authorization
            c("empty Authorization", get("Authorization:\r\n"), 401),
            c("only the scheme", get("Authorization: Bearer\r\n"), 401),
            c("scheme and spaces", get("Authorization: Bearer     \r\n"), 401),
            c("tab after scheme", get("Authorization: Bearer\t" + KEY + "\r\n"), 401),
            c("Basic scheme", get("Authorization: Basic dXNlcjpwYXNz\r\n"), 401),
            c("Token scheme", get("Authorization: Token " + KEY + "\r\n"), 401),
            c("Digest scheme", get("Authorization: Digest username=\"x\"\r\n"), 401),
            c("scheme glued to token", get("Authorization: Bearer" + KEY + "\r\n"), 401),
            c("key alone", get("Authorization: " + KEY + "\r\n"), 401),
            c("lower-case header name and scheme", get("authorization: bearer " + KEY + "\r\n"), 200),
            c("upper-case header name and scheme", get("AUTHORIZATION: BEARER " + KEY + "\r\n"), 200),
            c("several spaces after scheme", get("Authorization: Bearer    " + KEY + "\r\n"), 200),
            c("leading tab before value (OWS)", get("Authorization:\tBearer " + KEY + "\r\n"), 200),
            c("trailing tab after value (OWS)", get("Authorization: Bearer " + KEY + "\t\r\n"), 200),
            c("inner space makes another token", get("Authorization: Bearer " + KEY + " extra\r\n"), 403),
            c("one extra character", get("Authorization: Bearer " + KEY + "x\r\n"), 403),
            c("one character short", get("Authorization: Bearer " + KEY.substring(1) + "\r\n"), 403),
            c("wrong key", get("Authorization: Bearer " + RunningApp.WRONG_KEY + "\r\n"), 403),
            c("two Authorization headers", get(AUTH + AUTH), 400),
            c("two Authorization headers, one empty", get("Authorization:\r\n" + AUTH), 400),
            c("three Authorization headers", get(AUTH + "Authorization: Basic x\r\n" + AUTH), 400),
            // Host and 99 more: 100 fields, the most a head may have (CONTRACT §1)
            c("ninety-nine Authorization headers", get(AUTH.repeat(99)), 400),
            c("a hundred header fields", get("x:1\r\n".repeat(99)), 401),
            c("a hundred and one header fields", get("x:1\r\n".repeat(100)), 431),
            c("a hundred and one header fields, a valid key among them", get(AUTH + "x:1\r\n".repeat(99)), 431),
            c("key in Proxy-Authorization only", get("Proxy-Authorization: Bearer " + KEY + "\r\n"), 401),
            c("key in a cookie", get("Cookie: token=" + KEY + "\r\n"), 401),
            c("key in the query string", "GET /?api_key=" + KEY + " HTTP/1.1\r\nHost: test\r\n\r\n", 401),
            c("key in another header (X-Auth-Token)", get("X-Auth-Token: " + KEY + "\r\n"), 401),
            // --- the key header (AUTH_API_KEY_HEADER=X-API-Key)
            c("key in X-API-Key", get("X-API-Key: " + KEY + "\r\n"), 200),
            c("key in x-api-key, lower case", get("x-api-key: " + KEY + "\r\n"), 200),
            c("key in X-API-Key with spaces around", get("X-API-Key:    " + KEY + "    \r\n"), 200),
            c("key in X-API-Key with tabs around (OWS)", get("X-API-Key:\t" + KEY + "\t\r\n"), 200),
            c("HEAD with key in X-API-Key", "HEAD / HTTP/1.1\r\nHost: test\r\nX-API-Key: " + KEY + "\r\n\r\n", 200),
            c("empty X-API-Key", get("X-API-Key:\r\n"), 401),
            c("X-API-Key of spaces", get("X-API-Key:      \r\n"), 401),
            c("wrong key in X-API-Key", get("X-API-Key: " + RunningApp.WRONG_KEY + "\r\n"), 403),
            c("Bearer scheme inside X-API-Key", get("X-API-Key: Bearer " + KEY + "\r\n"), 403),
            c("inner space in X-API-Key", get("X-API-Key: " + KEY + " extra\r\n"), 403),
            c("X-API-Key twice", get("X-API-Key: " + KEY + "\r\nX-API-Key: " + KEY + "\r\n"), 400),
            c("X-API-Key twice, one empty", get("X-API-Key:\r\nX-API-Key: " + KEY + "\r\n"), 400),
            c("X-API-Key twice, different case", get("X-API-Key: " + KEY + "\r\nx-api-key: " + KEY + "\r\n"), 400),
            c("X-API-Key and Authorization", get("X-API-Key: " + KEY + "\r\n" + AUTH), 400),
            c("empty X-API-Key and Authorization", get("X-API-Key:\r\n" + AUTH), 400),
            c("X-API-Key and a Basic Authorization", get("X-API-Key: " + KEY + "\r\nAuthorization: Basic x\r\n"),
                    400),
            c("X-API-Key and two Authorization headers", get("X-API-Key: " + KEY + "\r\n" + AUTH + AUTH), 400),
            c("ninety-nine X-API-Key headers", get(("X-API-Key: " + KEY + "\r\n").repeat(99)), 400),
            c("NUL in X-API-Key", get("X-API-Key: " + KEY + "\u0000\r\n"), 400),
            c("bare CR inside X-API-Key", get("X-API-Key: \r" + KEY + "\r\n"), 400),
            c("obs-fold in X-API-Key", get("X-API-Key:\r\n " + KEY + "\r\n"), 400),
            c("space before the colon of X-API-Key", get("X-API-Key : " + KEY + "\r\n"), 400),
            c("Latin-1 byte in X-API-Key", get("X-API-Key: caf\u00e9-key-0123456789\r\n"), 400, 403),
            c("X-API-Key of 8 KiB", get("X-API-Key: " + big8k + "\r\n"), 431),
            c("key in X-API-Key on an unknown path", "GET /admin HTTP/1.1\r\nHost: t\r\nX-API-Key: " + KEY
                    + "\r\n\r\n", 404),
            c("X-API-Key without key on an unknown path", "GET /admin HTTP/1.1\r\nHost: t\r\nX-API-Key: nope\r\n\r\n",
                    403),
            c("X-API-Key on a public path is ignored", "GET /health HTTP/1.1\r\nHost: t\r\nX-API-Key: x\r\n"
                    + "X-API-Key: y\r\n\r\n", 200),
            // --- control characters, CR/LF, NUL, non-ASCII, invalid UTF-8
            c("NUL in Authorization", get("Authorization: Bearer " + KEY + "\u0000\r\n"), 400),
            c("vertical tab after scheme", get("Authorization: Bearer\u000b" + KEY + "\r\n"), 400),
            c("bare CR inside a value", get("Authorization: Bearer \r" + KEY + "\r\n"), 400),
            c("obs-fold continuation line", get("Authorization: Bearer\r\n " + KEY + "\r\n"), 400),
            c("space before the colon", get("Authorization : Bearer " + KEY + "\r\n"), 400),
            c("header line without colon", get("Authorization Bearer " + KEY + "\r\n"), 400),
            c("DEL in a header value", get("X-Odd: a\u007fb\r\n"), 400, 401),
            c("Latin-1 byte in token", get("Authorization: Bearer caf\u00e9-key-0123456789\r\n"), 400, 403),
            bytes("UTF-8 token", concat("GET / HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer ",
                    "ключ-0123456789abcdef".getBytes(StandardCharsets.UTF_8), "\r\n\r\n"), 400, 403),
            bytes("invalid UTF-8 in token", concat("GET / HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer ",
                    new byte[] {(byte) 0xc3, 0x28, (byte) 0xff, (byte) 0xfe}, "\r\n\r\n"), 400, 403),
            bytes("invalid UTF-8 in path", concat("GET /", new byte[] {(byte) 0xc3, 0x28}, " HTTP/1.1\r\nHost: t\r\n\r\n"),
                    400, 401),
            bytes("NUL in request line", concat("GET /", new byte[] {0}, " HTTP/1.1\r\nHost: t\r\n\r\n"), 400),
            bytes("binary garbage", new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, '\r', '\n', '\r', '\n'},
                    400),
            c("TLS-looking text on a clear port", "\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003\r\n\r\n",
                    400),
            c("bare LF line ends", "GET / HTTP/1.1\nHost: test\n" + AUTH.replace("\r\n", "\n") + "\n", 200, 400),
            c("percent-encoded CRLF in path", "GET /%0d%0aSet-Cookie:%20x=1 HTTP/1.1\r\nHost: t\r\n\r\n", 400, 401),
            // --- sizes
            c("header of exactly 8 KiB", get("X-Big: " + big8k + "\r\n"), 431),
            c("header of 1 MiB", get("X-Big: " + big1m + "\r\n"), 431),
            c("Authorization of 8 KiB", get("Authorization: Bearer " + big8k + "\r\n"), 431),
            c("URI of 8 KiB", "GET /" + big8k + " HTTP/1.1\r\nHost: t\r\n\r\n", 414),
            c("URI of 1 MiB", "GET /" + big1m + " HTTP/1.1\r\nHost: t\r\n\r\n", 414),
            c("query of 8 KiB", "GET /?q=" + big8k + " HTTP/1.1\r\nHost: t\r\n\r\n", 414),
            c("many small headers over 8 KiB", get("X-H: 1\r\n".repeat(1500)), 431),
            c("method of 8 KiB", "X".repeat(9000) + " / HTTP/1.1\r\nHost: t\r\n\r\n", 400, 414, 431),
            // --- traversal and odd paths
            c("dot-dot to /", "GET /health/../ HTTP/1.1\r\nHost: t\r\n\r\n", 400, 401),
            c("dot-dot to /health", "GET /x/../health HTTP/1.1\r\nHost: t\r\n\r\n", 200, 400, 401),
            c("encoded dot-dot", "GET /%2e%2e/ HTTP/1.1\r\nHost: t\r\n\r\n", 400, 401),
            c("encoded slash after health", "GET /health%2f..%2f HTTP/1.1\r\nHost: t\r\n\r\n", 400, 401),
            c("encoded dot-dot with key", "GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: t\r\n" + AUTH + "\r\n",
                    400, 404),
            c("backslash traversal", "GET /..\\..\\etc HTTP/1.1\r\nHost: t\r\n\r\n", 400, 401),
            c("double slash", "GET //health HTTP/1.1\r\nHost: t\r\n\r\n", 400, 401),
            c("trailing slash on public path", "GET /health/ HTTP/1.1\r\nHost: t\r\n\r\n", 401),
            c("public path with different case", "GET /HEALTH HTTP/1.1\r\nHost: t\r\n\r\n", 401),
            c("percent-encoded public path", "GET /%68ealth HTTP/1.1\r\nHost: t\r\n\r\n", 200, 401),
            c("semicolon path parameter", "GET /health;x=1 HTTP/1.1\r\nHost: t\r\n\r\n", 200, 400, 401),
            c("absolute-form URI, other host", "GET http://evil.example/ HTTP/1.1\r\nHost: t\r\n\r\n", 400, 401),
            c("absolute-form URI, same host", "GET http://t/ HTTP/1.1\r\nHost: t\r\n\r\n", 401),
            c("asterisk-form", "OPTIONS * HTTP/1.1\r\nHost: t\r\n\r\n", 401),
            c("asterisk-form with key", "OPTIONS * HTTP/1.1\r\nHost: t\r\n" + AUTH + "\r\n", 404),
            c("fragment in request target", "GET /#frag HTTP/1.1\r\nHost: t\r\n\r\n", 400, 401),
            c("unknown path without key", "GET /admin HTTP/1.1\r\nHost: t\r\n\r\n", 401),
            c("unknown path with key", "GET /admin HTTP/1.1\r\nHost: t\r\n" + AUTH + "\r\n", 404),
            // --- methods
            c("absurd method", "FROBNICATE / HTTP/1.1\r\nHost: t\r\n\r\n", 401),
            c("absurd method with key", "FROBNICATE / HTTP/1.1\r\nHost: t\r\n" + AUTH + "\r\n", 405),
            c("lower-case get", "get / HTTP/1.1\r\nHost: t\r\n\r\n", 401),
            c("lower-case get with key", "get / HTTP/1.1\r\nHost: t\r\n" + AUTH + "\r\n", 405),
            c("TRACE with key is not echoed", "TRACE / HTTP/1.1\r\nHost: t\r\n" + AUTH + "\r\n", 405),
            c("OPTIONS with key", "OPTIONS / HTTP/1.1\r\nHost: t\r\n" + AUTH + "\r\n", 405),
            c("DELETE without key", "DELETE / HTTP/1.1\r\nHost: t\r\n\r\n", 401),
            c("CONNECT", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", 400, 401),
            c("method with a colon", "GE:T / HTTP/1.1\r\nHost: t\r\n\r\n", 400, 401),
            // --- versions and framing
            c("HTTP/1.0 without Host, no key", "GET / HTTP/1.0\r\n\r\n", 401),
            c("HTTP/1.0 with key", "GET / HTTP/1.0\r\n" + AUTH + "\r\n", 200),
            c("HTTP/1.1 without Host", "GET / HTTP/1.1\r\n" + AUTH + "\r\n", 400),
            c("two Host headers", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n" + AUTH + "\r\n", 400),
            c("HTTP/3.0 request line", "GET / HTTP/3.0\r\nHost: t\r\n\r\n", 505),
            c("HTTP/2.0 request line", "GET / HTTP/2.0\r\nHost: t\r\n\r\n", 505),
            c("HTTP/1.2 request line", "GET / HTTP/1.2\r\nHost: t\r\n\r\n", 400, 505),
            c("HTTP/9.9 request line", "GET / HTTP/9.9\r\nHost: t\r\n\r\n", 400, 505),
            c("lower-case version", "GET / http/1.1\r\nHost: t\r\n\r\n", 400, 401, 505),
            c("HTTP/0.9 simple request", "GET /\r\n\r\n", 400, 505),
            c("h2 prior-knowledge preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 400, 505),
            c("tabs between request-line parts", "GET\t/\tHTTP/1.1\r\nHost: t\r\n\r\n", 400),
            c("Content-Length and chunked together",
                    "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n" + AUTH
                            + "\r\n0\r\n\r\n", 400),
            c("two different Content-Lengths", "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
                    400),
            c("negative Content-Length", "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: -1\r\n\r\n", 400),
            c("non-numeric Content-Length", "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: abc\r\n\r\n", 400),
            c("enormous Content-Length", "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 99999999999999999999\r\n\r\n",
                    400, 413),
            c("unknown Transfer-Encoding", "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: xchunked\r\n\r\n", 400),
            c("chunked not last", "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked, identity\r\n\r\n", 400),
            c("bad chunk size", "POST / HTTP/1.1\r\nHost: t\r\n" + AUTH + "Transfer-Encoding: chunked\r\n\r\nzz\r\n\r\n",
                    400, 405),
            c("Transfer-Encoding on HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, 401),
            c("Expect 100-continue with body, no key",
                    "POST / HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello", 401),
            c("Expect 100-continue GET with key",
                    "GET / HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n" + AUTH + "\r\nhello", 200),
            c("unknown Expect", "GET / HTTP/1.1\r\nHost: t\r\nExpect: teapot\r\n" + AUTH + "\r\n", 200, 417),
            // --- request ids that try to inject
            c("X-Request-Id with encoded CRLF", get(AUTH + "X-Request-Id: abc%0d%0aSet-Cookie:%20x=1\r\n"), 200),
            c("X-Request-Id with a header after it", get(AUTH + "X-Request-Id: abc\r\nSet-Cookie: x=1\r\n"), 200),
            c("X-Request-Id of 129 characters", get(AUTH + "X-Request-Id: " + "r".repeat(129) + "\r\n"), 200),
            c("X-Request-Id with spaces", get(AUTH + "X-Request-Id: a b c\r\n"), 200),
            c("two X-Request-Id headers", get(AUTH + "X-Request-Id: one\r\nX-Request-Id: two\r\n"), 200),
            c("X-Forwarded-For spoofing changes nothing", get("X-Forwarded-For: 127.0.0.1\r\n"), 401),
            // --- forwarding headers from a trusted peer: a bad one leaves the TCP peer, never fails
            c("X-Forwarded-For not an address", get(AUTH + "X-Forwarded-For: not-an-address\r\n"), 200),
            c("X-Forwarded-For empty", get(AUTH + "X-Forwarded-For:\r\n"), 200),
            c("X-Forwarded-For of commas only", get(AUTH + "X-Forwarded-For: ,,,\r\n"), 200),
            c("X-Forwarded-For host name", get(AUTH + "X-Forwarded-For: localhost\r\n"), 200),
            c("X-Forwarded-For unknown", get(AUTH + "X-Forwarded-For: unknown, 203.0.113.7\r\n"), 200),
            c("X-Forwarded-For with ports and brackets", get(AUTH + "X-Forwarded-For: [::1]:80, 203.0.113.7:1\r\n"), 200),
            c("X-Forwarded-For IPv6 with a zone", get(AUTH + "X-Forwarded-For: fe80::1%eth0\r\n"), 200),
            c("X-Forwarded-For IPv6 of nine groups", get(AUTH + "X-Forwarded-For: 1:2:3:4:5:6:7:8:9\r\n"), 200),
            c("X-Forwarded-For octet over 255", get(AUTH + "X-Forwarded-For: 203.0.113.256\r\n"), 200),
            c("X-Forwarded-For of 500 entries", get(AUTH + "X-Forwarded-For: " + "203.0.113.7, ".repeat(499)
                    + "203.0.113.8\r\n"), 200),
            c("X-Forwarded-For of 8 KiB", get(AUTH + "X-Forwarded-For: " + "1".repeat(8 * 1024) + "\r\n"), 431),
            c("X-Forwarded-For with a NUL", get(AUTH + "X-Forwarded-For: 203.0.113.7\u0000\r\n"), 400),
            c("X-Forwarded-For Latin-1", get(AUTH + "X-Forwarded-For: 203.0.113.\u00e9\r\n"), 200, 400),
            c("two X-Forwarded-For headers, one malformed", get(AUTH + "X-Forwarded-For: 203.0.113.7\r\n"
                    + "X-Forwarded-For: ::g\r\n"), 200),
            c("Forwarded with an unclosed quote", get(AUTH + "Forwarded: for=\"203.0.113.7\r\n"), 200),
            c("Forwarded obfuscated identifier", get(AUTH + "Forwarded: for=_hidden\r\n"), 200),
            c("Forwarded unknown", get(AUTH + "Forwarded: for=unknown;proto=https\r\n"), 200),
            c("Forwarded with a trailing backslash", get(AUTH + "Forwarded: for=\"\\\r\n"), 200),
            c("Forwarded of separators only", get(AUTH + "Forwarded: ;;,,;\r\n"), 200),
            c("Forwarded with two for", get(AUTH + "Forwarded: for=203.0.113.7;for=198.51.100.1\r\n"), 200),
            c("Forwarded of 500 elements", get(AUTH + "Forwarded: " + "for=203.0.113.7,".repeat(400)
                    + "for=203.0.113.8\r\n"), 200),
            c("forwarding headers give no key", get("X-Forwarded-For: bad\r\nForwarded: for=\"\r\n"), 401)));
        cases.add(pipelined("pipelined: valid then no key",
                get(AUTH) + get(""), List.of(Set.of(200), Set.of(401))));
        cases.add(pipelined("pipelined: three with keys",
                get(AUTH) + get(AUTH) + "GET /nope HTTP/1.1\r\nHost: t\r\n" + AUTH + "\r\n",
                List.of(Set.of(200), Set.of(200), Set.of(404))));
        cases.add(pipelined("pipelined: Bearer, X-API-Key, both",
                get(AUTH) + get("X-API-Key: " + KEY + "\r\n") + get(AUTH + "X-API-Key: " + KEY + "\r\n"),
                List.of(Set.of(200), Set.of(200), Set.of(400))));
        cases.add(pipelined("pipelined: wrong key between valid ones",
                get(AUTH) + get("Authorization: Bearer nope\r\n") + get(AUTH),
                List.of(Set.of(200), Set.of(403), Set.of(200))));
        return cases.stream();
    }

    @Test
    void corpus_hasAtLeast60Cases() {
        assertTrue(corpus().count() >= 60, "cases: " + corpus().count());
        Set<String> names = corpus().map(Case::name).collect(Collectors.toSet());
        assertEquals(corpus().count(), names.size(), "case names are unique");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void everyCase_getsItsExpectedAnswer(Case c) throws IOException {
        List<RawHttp.Response> responses = RawHttp.exchange(app.port(), c.bytes(), c.expected().size(), c.head());
        for (int i = 0; i < responses.size(); i++) {
            RawHttp.Response r = responses.get(i);
            if (r.status() == 100) {
                responses.set(i, r = RawHttp.exchange(app.port(), c.bytes(), 2, c.head()).get(1));
            }
            String where = c.name() + " #" + i + ": " + r;
            assertTrue(c.expected().get(i).contains(r.status()), where);
            assertFalse(r.status() >= 500 && r.status() != 505, where);
            if (r.status() == 200) {
                assertTrue(c.validKey() || r.body().equals("{\"status\":\"UP\"}"), "200 without a key: " + where);
            }
            assertEquals("nosniff", r.header("X-Content-Type-Options"), where);
            String id = r.header("X-Request-Id");
            assertNotNull(id, where);
            assertTrue(id.matches("[A-Za-z0-9._-]{1,128}"), where);
            assertNull(r.header("Set-Cookie"), where);
            assertNull(r.header("Server"), where);
            if (r.status() != 200 || !c.head()) {
                assertTrue(r.header("Content-Type") == null || r.header("Content-Type").startsWith("application/json"),
                        where);
            }
            if (r.status() >= 400) {
                assertTrue(r.body().matches("\\{\"detail\":\"[^\"]+\"\\}"), where);
            }
            if (r.status() == 200 && !c.head() && c.validKey()) {
                assertEquals(HELLO, r.body(), where);
            }
            assertFalse(r.toString().contains(KEY), "key echoed: " + where);
        }
    }

    @Test
    void forgedRequestIds_neverBecomeHeaders() throws IOException {
        RawHttp.Response r = RawHttp.send(app.port(), get(AUTH + "X-Request-Id: abc%0d%0aSet-Cookie:%20x=1\r\n"));
        assertTrue(r.header("X-Request-Id").matches("[0-9a-f]{32}"), r.toString());
        RawHttp.Response kept = RawHttp.send(app.port(), get(AUTH + "X-Request-Id: trace-42.a_b\r\n"));
        assertEquals("trace-42.a_b", kept.header("X-Request-Id"));
        assertTrue(Arrays.stream(new String[] {"set-cookie"}).noneMatch(kept.headers()::containsKey));
    }
}
