package dev.apikeyauth.ops;

import static dev.apikeyauth.testsupport.RunningApp.KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apikeyauth.testsupport.PrometheusText;
import dev.apikeyauth.testsupport.RawHttp;
import dev.apikeyauth.testsupport.RunningApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * CONTRACT §5: a caller can't grow the label set. Hundreds of distinct paths and odd methods, with
 * and without a key, end up in a handful of series.
 */
class MetricsCardinalityTest {
    static final Set<String> ROUTES = Set.of("/", "/health", "/metrics", "/openapi.json", "/docs", "/docs/{asset}",
            "unmatched");
    static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE",
            "CONNECT", "other");

    @Test
    void manyDistinctPathsAndMethods_stayInABoundedSetOfSeries() throws Exception {
        List<String> methods = List.of("GET", "POST", "DELETE", "FOO", "PROPFIND", "get", "M-SEARCH", "QUERY", "BREW");
        HttpClient client = HttpClient.newHttpClient();
        try (RunningApp app = RunningApp.withTestKey()) {
            String base = "http://127.0.0.1:" + app.port();
            int sent = 0;
            for (int i = 0; i < 300; i++) {
                String method = methods.get(i % methods.size());
                String path = switch (i % 5) {
                    case 0 -> "/unknown-" + i;
                    case 1 -> "/docs/file-" + i + ".js";
                    case 2 -> "/docs/" + i + "/deeper";
                    case 3 -> "/health/" + i;
                    default -> "/" + "x".repeat(i % 40) + "?q=" + i;
                };
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                        .method(method, HttpRequest.BodyPublishers.noBody());
                if (i % 2 == 0) {
                    request.header("Authorization", "Bearer " + KEY);
                } else if (i % 3 == 0) {
                    request.header("Authorization", "Bearer unknown-" + i);
                }
                client.send(request.build(), HttpResponse.BodyHandlers.discarding());
                sent++;
            }
            // Methods no client library sends, on paths no client library sends.
            for (String raw : List.of("X-ODD /a%00b HTTP/1.1", "LONG" + "M".repeat(200) + " / HTTP/1.1",
                    "GET /docs/../metrics HTTP/1.1", "GET /docs/%2e%2e/metrics HTTP/1.1", "GET //// HTTP/1.1")) {
                RawHttp.send(app.port(), raw + "\r\nHost: x\r\nConnection: close\r\n\r\n");
                sent++;
            }

            String text = client.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                    .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString()).body();
            List<PrometheusText.Sample> series = PrometheusText.parse(text).named("http_server_requests_seconds_count");

            double counted = series.stream().mapToDouble(PrometheusText.Sample::value).sum();
            assertTrue(counted >= 300, "the requests were counted: " + counted + " of " + sent);
            Set<String> routes = series.stream().map(s -> s.labels().get("route")).collect(Collectors.toSet());
            Set<String> seenMethods = series.stream().map(s -> s.labels().get("method")).collect(Collectors.toSet());
            assertTrue(ROUTES.containsAll(routes), routes.toString());
            assertTrue(METHODS.containsAll(seenMethods), seenMethods.toString());
            assertTrue(seenMethods.contains("other"), seenMethods.toString());
            // 5 kinds of path x 4 method labels x a few statuses: far below the requests sent.
            assertTrue(series.size() <= 30, series.size() + " series: " + series);

            Set<String> identities = new HashSet<>();
            PrometheusText.parse(text).named("apikeyauth_authentications_total")
                    .forEach(s -> identities.add(s.labels().get("identity")));
            assertEquals(Set.of("-", "default"), identities);
            assertTrue(text.lines().count() < 600, "whole output stays small: " + text.lines().count() + " lines");
        }
    }
}
