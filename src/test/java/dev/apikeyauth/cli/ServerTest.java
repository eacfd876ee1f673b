package dev.apikeyauth.cli;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apikeyauth.config.ConfigException;
import io.javalin.Javalin;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code serve} wiring: the one-run key for a person at a terminal, and the port checks. */
class ServerTest {

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void noKey_onATerminal_startsWithAOneRunKey_andPrintsAWorkingCurlLine() throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int port = freePort();
        Javalin app = Server.start(Map.of("PORT", Integer.toString(port), "HOST", "127.0.0.1"), true,
                new PrintStream(err, true, StandardCharsets.UTF_8)).app();
        try {
            String shown = err.toString(StandardCharsets.UTF_8);
            assertTrue(shown.contains("lives only as long as this process"), shown);
            Matcher curl = Pattern.compile("curl -H 'Authorization: Bearer (aka_[0-9A-Za-z]{49})' "
                    + "http://127\\.0\\.0\\.1:" + port + "/").matcher(shown);
            assertTrue(curl.find(), shown);
            given().port(port).header("Authorization", "Bearer " + curl.group(1)).get("/").then()
                    .statusCode(200).body(equalTo("{\"message\":\"Hello, World!\"}"));
            given().port(port).header("Authorization", "Bearer not-the-key-0123456789").get("/").then()
                    .statusCode(403);
        } finally {
            app.stop();
        }
    }

    @Test
    void withAKey_printsNothingToStderr() throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Javalin app = Server.start(Map.of("PORT", Integer.toString(freePort()), "HOST", "127.0.0.1",
                "AUTH_API_KEY", "server-test-key-0123456789"), true, new PrintStream(err, true, StandardCharsets.UTF_8)).app();
        try {
            assertEquals("", err.toString(StandardCharsets.UTF_8));
        } finally {
            app.stop();
        }
    }

    @Test
    void portInUse_stopsStartupWithOneLineNamingPort() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            ConfigException e = assertThrows(ConfigException.class, () -> Server.start(Map.of(
                    "PORT", Integer.toString(taken.getLocalPort()), "HOST", "127.0.0.1",
                    "AUTH_API_KEY", "server-test-key-0123456789"), false, System.err));
            assertTrue(e.getMessage().startsWith("can't listen on 127.0.0.1:" + taken.getLocalPort()), e.getMessage());
            assertTrue(e.getMessage().contains("set PORT"), e.getMessage());
        }
    }
}
