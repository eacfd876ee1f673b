package dev.apikeyauth.http;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apikeyauth.testsupport.RunningApp;
import io.restassured.config.DecoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Swagger UI files are sent as they were stored: gzip'd once, to a client that accepts gzip,
 * plain otherwise; never compressed per request.
 */
class DocsAssetsTest {
    static final String BUNDLE = "/docs/swagger-ui-bundle.js";
    /** REST Assured would decode gzip itself; this client sees the bytes as sent. */
    static final RestAssuredConfig RAW = RestAssuredConfig.config()
            .decoderConfig(DecoderConfig.decoderConfig().noContentDecoders());
    static RunningApp app;

    @BeforeAll
    static void start() {
        app = RunningApp.withTestKey();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static RequestSpecification raw() {
        return given().port(app.port()).config(RAW);
    }

    @Test
    void gzipAcceptingClient_getsTheStoredGzip_whichIsTheFile() throws IOException {
        byte[] plain = raw().get(BUNDLE).then().statusCode(200).extract().asByteArray();
        Response zipped = raw().header("Accept-Encoding", "gzip, deflate").get(BUNDLE);
        assertEquals(200, zipped.statusCode());
        assertEquals("gzip", zipped.header("Content-Encoding"));
        assertEquals("Accept-Encoding", zipped.header("Vary"));
        assertEquals("text/javascript; charset=utf-8", zipped.header("Content-Type"));
        assertEquals("public, max-age=3600", zipped.header("Cache-Control"));
        assertEquals("nosniff", zipped.header("X-Content-Type-Options"));
        byte[] body = zipped.asByteArray();
        assertEquals(Integer.toString(body.length), zipped.header("Content-Length"));
        assertTrue(body.length < plain.length / 2, body.length + " of " + plain.length);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            assertArrayEquals(plain, in.readAllBytes());
        }
        // The same stored bytes each time.
        assertArrayEquals(body, raw().header("Accept-Encoding", "gzip").get(BUNDLE).asByteArray());
    }

    @Test
    void clientThatRefusesGzip_getsThePlainFile_stillWithVary() {
        for (String accept : new String[] {"identity", "gzip;q=0", "br"}) {
            Response response = raw().header("Accept-Encoding", accept).get(BUNDLE);
            assertEquals(200, response.statusCode(), accept);
            assertNull(response.header("Content-Encoding"), accept);
            assertEquals("Accept-Encoding", response.header("Vary"), accept);
            assertTrue(response.asByteArray().length > 1_000_000, accept);
        }
    }

    @Test
    void pngs_areNotCompressedAgain() {
        Response response = raw().header("Accept-Encoding", "gzip").get("/docs/favicon-32x32.png");
        assertEquals(200, response.statusCode());
        assertEquals("image/png", response.header("Content-Type"));
        assertNull(response.header("Content-Encoding"));
        assertNull(response.header("Vary"));
    }

    @Test
    void otherResponses_areNeverCompressed() {
        for (String path : new String[] {"/openapi.json", "/docs", "/health"}) {
            Response response = raw().header("Accept-Encoding", "gzip").get(path);
            assertEquals(200, response.statusCode(), path);
            assertNull(response.header("Content-Encoding"), path);
        }
        Response metrics = raw().header("Accept-Encoding", "gzip")
                .header("Authorization", "Bearer " + RunningApp.KEY).get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertNull(metrics.header("Content-Encoding"));
    }
}
