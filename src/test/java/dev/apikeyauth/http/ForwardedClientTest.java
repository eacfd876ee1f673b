package dev.apikeyauth.http;

import static dev.apikeyauth.testsupport.RunningApp.KEY;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.apikeyauth.testsupport.LogCapture;
import dev.apikeyauth.testsupport.RunningApp;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * FORWARDED_ALLOW_IPS: from a trusted peer the caller's address comes from X-Forwarded-For or
 * Forwarded, and the access log names it; from any other peer, and without the setting, the
 * headers change nothing; a malformed header leaves the TCP peer and never fails the request.
 */
class ForwardedClientTest {
    static final String LOOPBACK = "127.0.0.1";

    /** One app per setting, shared by the tests of the class: a start and stop costs seconds. */
    static final Map<String, RunningApp> APPS = new ConcurrentHashMap<>();

    @AfterAll
    static void stop() {
        APPS.values().forEach(RunningApp::close);
    }

    /**
     * The client address the access log gives a GET / with a key and these headers, sent from
     * loopback to an app with this FORWARDED_ALLOW_IPS ({@code null}: unset).
     */
    static String loggedClient(String setting, Map<String, String> headers) throws Exception {
        RunningApp app = APPS.computeIfAbsent(String.valueOf(setting), s -> RunningApp.start(RunningApp.services()
                .trustedProxies(setting == null ? TrustedProxies.NONE : TrustedProxies.parse(setting))));
        String requestId = "fwd-" + System.nanoTime();
        try (LogCapture access = LogCapture.of("access")) {
            given().port(app.port()).header("Authorization", "Bearer " + KEY).header("X-Request-Id", requestId)
                    .headers(headers).get("/").then().statusCode(200).header("X-Request-Id", requestId);
            ILoggingEvent line = access.awaitRequest(requestId);
            String client = line.getFormattedMessage().replaceAll(".* client=(\\S+).*", "$1");
            Map<?, ?> httpRequest = (Map<?, ?>) LogCapture.value(line, "httpRequest");
            assertEquals(client, httpRequest.get("remoteIp"), line.toString());
            return client;
        }
    }

    static TrustedProxies trust(String setting) {
        return TrustedProxies.parse(setting);
    }

    @Test
    void xForwardedFor_fromATrustedPeer_isTheCallerInTheAccessLog() throws Exception {
        assertEquals("203.0.113.7", loggedClient(LOOPBACK, Map.of("X-Forwarded-For", "203.0.113.7")));
    }

    @Test
    void xForwardedFor_withoutTheSetting_isIgnored() throws Exception {
        assertEquals(LOOPBACK, loggedClient(null, Map.of("X-Forwarded-For", "203.0.113.7")));
    }

    @Test
    void xForwardedFor_fromAPeerNotInTheList_isIgnored() throws Exception {
        assertEquals(LOOPBACK, loggedClient("10.0.0.0/8,::1", Map.of("X-Forwarded-For", "203.0.113.7")));
    }

    @Test
    void xForwardedFor_isReadFromTheRight_pastTrustedProxies() throws Exception {
        // The left-most entry is whatever the caller sent; the proxies appended the rest.
        assertEquals("203.0.113.7", loggedClient("127.0.0.0/8,10.0.0.0/8",
                Map.of("X-Forwarded-For", "198.51.100.1, 203.0.113.7,10.1.2.3")));
    }

    @Test
    void xForwardedFor_withAStar_isItsRightMostEntry() throws Exception {
        assertEquals("203.0.113.7", loggedClient("*",
                Map.of("X-Forwarded-For", "198.51.100.1, 203.0.113.7")));
    }

    @Test
    void forwarded_fromATrustedPeer_isTheCaller_inEitherAddressFamily() throws Exception {
        assertEquals("2001:db8:0:0:0:0:0:17", loggedClient(LOOPBACK,
                Map.of("Forwarded", "for=\"[2001:db8::17]:4711\";proto=https;by=203.0.113.43")));
        assertEquals("192.0.2.60", loggedClient(LOOPBACK,
                Map.of("Forwarded", "for=198.51.100.1, For=192.0.2.60;proto=http")));
    }

    @Test
    void xForwardedFor_winsOverForwarded() throws Exception {
        assertEquals("203.0.113.7", loggedClient(LOOPBACK,
                Map.of("X-Forwarded-For", "203.0.113.7", "Forwarded", "for=192.0.2.60")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", ",", "203.0.113.7,", "unknown", "localhost", "example.com", "203.0.113.7 198.51.100.1",
        "203.0.113", "203.0.113.256", "0203.0.113.7", "203.0.113.7:", "203.0.113.7:99999", "[203.0.113.7]",
        "2001:db8::1%eth0", "[2001:db8::1", "2001:db8::g", "\"203.0.113.7\"", "for=203.0.113.7", "203.0.113.7\t,\t::1x"})
    void malformedXForwardedFor_leavesTheTcpPeer(String value) throws Exception {
        assertEquals(LOOPBACK, loggedClient(LOOPBACK, Map.of("X-Forwarded-For", value)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "for", "for=", "for=unknown", "for=_hidden", "for=\"_gazonk\"", "proto=https",
        "for=203.0.113.7;for=198.51.100.1", "for=\"203.0.113.7", "for=203.0.113.7,", "for=203.0.113.7 proto=http",
        "for=\"[2001:db8::1]:x\"", "=203.0.113.7", "for=203.0.113.7;;by", "for=\"\\\""})
    void malformedForwarded_leavesTheTcpPeer(String value) throws Exception {
        assertEquals(LOOPBACK, loggedClient(LOOPBACK, Map.of("Forwarded", value)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "203.0.113.7|203.0.113.7",
        "203.0.113.7:8443|203.0.113.7",
        "2001:db8::1|2001:db8:0:0:0:0:0:1",
        "[2001:db8::1]|2001:db8:0:0:0:0:0:1",
        "[2001:db8::1]:443|2001:db8:0:0:0:0:0:1",
        "::ffff:203.0.113.7|203.0.113.7",
        "0.0.0.0|0.0.0.0",
    })
    void address_readsEachFormProxiesWrite(String hop, String address) {
        assertEquals(address, ForwardedClient.address(hop).getHostAddress());
    }

    @Test
    void severalHeaders_areOneList_inOrder() {
        assertEquals(List.of("203.0.113.7", "10.0.0.1", "10.0.0.2"), ForwardedClient.xForwardedFor(
                List.of("203.0.113.7, 10.0.0.1", "10.0.0.2")).stream().map(InetAddress::getHostAddress).toList());
        assertEquals(List.of("192.0.2.43", "198.51.100.17"), ForwardedClient.forwarded(
                List.of("for=192.0.2.43", "for=198.51.100.17;by=203.0.113.60;proto=http;host=example.com"))
                .stream().map(InetAddress::getHostAddress).toList());
        assertNull(ForwardedClient.xForwardedFor(List.of("203.0.113.7", "nope")));
    }

    @Test
    void everyHopTrusted_theLeftMostIsTheCaller() throws Exception {
        ForwardedClient client = new ForwardedClient(trust("10.0.0.0/8"));
        List<InetAddress> hops = ForwardedClient.xForwardedFor(List.of("10.0.0.5, 10.0.0.6"));
        assertEquals("10.0.0.5", client.choose(hops).getHostAddress());
        assertTrue(ForwardedClient.xForwardedFor(List.of("10.0.0.5")).size() == 1);
    }
}
