package dev.apikeyauth.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The design's one enforcement point, held by a test: in {@code src/main} exactly one call
 * authenticates a request, in the Javalin before-handler; and no Jetty handler sits in front of
 * Javalin to decide or answer anything but what its parser refuses, and "busy" under load.
 */
class OneEnforcementPointTest {
    static final Path MAIN = Path.of("src/main/java");

    static List<String> sources() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(f -> f.toString().endsWith(".java")).map(Path::toString).sorted().toList();
        }
    }

    @Test
    void exactlyOneCallAuthenticatesARequest_inTheGuard() throws IOException {
        Pattern call = Pattern.compile("\\.authenticate\\(");
        List<String> calls = new ArrayList<>();
        for (String file : sources()) {
            Matcher m = call.matcher(Files.readString(Path.of(file)));
            while (m.find()) {
                calls.add(MAIN.relativize(Path.of(file)).toString());
            }
        }
        assertEquals(List.of("dev/apikeyauth/http/Guard.java"), calls);
        String guard = Files.readString(MAIN.resolve("dev/apikeyauth/http/Guard.java"));
        assertTrue(guard.contains("implements Handler"), "the guard is a Javalin handler");
        String app = Files.readString(MAIN.resolve("dev/apikeyauth/http/App.java"));
        assertTrue(app.contains("config.routes.before(guard)"), "the guard is Javalin's before-handler");
    }

    @Test
    void theOnlyJettyHandlersInFrontOfJavalin_decideNothing() throws IOException {
        List<String> wrappers = new ArrayList<>();
        for (String file : sources()) {
            if (Files.readString(Path.of(file)).contains("extends Handler.Wrapper")) {
                wrappers.add(MAIN.relativize(Path.of(file)).toString());
            }
        }
        // Admission rations entry into Javalin under load; AsteriskTarget renames "OPTIONS *" so
        // that Javalin can route it.
        assertEquals(List.of("dev/apikeyauth/http/Admission.java", "dev/apikeyauth/http/AsteriskTarget.java"),
                wrappers);
        String asterisk = Files.readString(MAIN.resolve("dev/apikeyauth/http/AsteriskTarget.java"));
        assertTrue(!asterisk.contains("write(") && !asterisk.contains("setStatus("), "AsteriskTarget answers nothing");
        // The one answer Admission gives, to a caller with a key or without, is 503: it says only
        // that the service is busy, and decides nothing about who may have what.
        String admission = Files.readString(MAIN.resolve("dev/apikeyauth/http/Admission.java"));
        assertEquals(1, admission.split("setStatus\\(", -1).length - 1, "Admission sets one status");
        assertTrue(admission.contains("setStatus(HttpStatus.SERVICE_UNAVAILABLE_503)"), "and it is 503");
        assertTrue(!admission.contains("Authorization") && !admission.contains("Credentials"),
                "Admission reads no credentials");
    }
}
