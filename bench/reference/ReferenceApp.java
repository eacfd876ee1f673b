package bench;

import io.javalin.Javalin;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.UnauthorizedResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * The floor the service is measured against: the FastAPI example's design taken literally on bare
 * Javalin 7, with Javalin's defaults. One app; a {@code before} handler that compares the Bearer
 * token with {@code AUTH_API_KEY} using {@link MessageDigest#isEqual} (401 without a Bearer token,
 * 403 on a mismatch); {@code GET /} returning the JSON greeting. No metrics, no access log, no docs.
 *
 * <p>Not part of the service: {@code bench/run.sh} compiles it against the service's jar (which
 * carries Javalin, Jetty and Jackson) and runs it with the same JVM, flags and AOT training.
 */
public final class ReferenceApp {
    private ReferenceApp() {
    }

    public static void main(String[] args) {
        byte[] key = System.getenv("AUTH_API_KEY").getBytes(StandardCharsets.UTF_8);
        String host = System.getenv().getOrDefault("HOST", "0.0.0.0");
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8082"));
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.routes.before(ctx -> {
                String header = ctx.header("Authorization");
                if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                    throw new UnauthorizedResponse("Not authenticated");
                }
                byte[] token = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
                if (!MessageDigest.isEqual(token, key)) {
                    throw new ForbiddenResponse("Could not validate credentials");
                }
            });
            config.routes.get("/", ctx -> ctx.json(Map.of("message", "Hello, World!")));
        });
        // Like the service: SIGTERM stops the server, then the process exits 0, not 143.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.stop();
            Runtime.getRuntime().halt(0);
        }));
        app.start(host, port);
    }
}
