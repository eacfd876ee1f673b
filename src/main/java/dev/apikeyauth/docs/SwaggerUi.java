package dev.apikeyauth.docs;

import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * The {@code /docs} page: Swagger UI from the {@code org.webjars:swagger-ui} jar, served from the
 * classpath (no CDN, so it works with no internet), pointed at {@code /openapi.json}.
 *
 * <p>Only the files named in {@link #ASSETS} are served, looked up by exact name: a request can't
 * name any other classpath resource, and the guard lets exactly these paths through without a key.
 */
public final class SwaggerUi {
    /** The page's path. */
    public static final String PAGE = "/docs";
    /** The route of its files; {@code asset} is one of {@link #ASSETS}'s names. */
    public static final String ASSET_ROUTE = "/docs/{asset}";
    /** The prefix of the files' paths. */
    public static final String ASSET_PREFIX = "/docs/";

    /**
     * Assets change only with a new build, but their paths don't carry the version, so a browser may
     * reuse them for an hour and no longer: stale for an hour at worst after an upgrade.
     */
    static final String ASSET_CACHE_CONTROL = "public, max-age=3600";

    /**
     * The page takes scripts, styles and data from this service alone: a person pastes a key into
     * it, so nothing injected or loaded from elsewhere may run there. Swagger UI sets inline styles
     * and draws icons from data: URIs, hence those two allowances.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; connect-src 'self'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; "
            + "form-action 'none'";

    private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
    private static final String WEBJAR_POM = "META-INF/maven/org.webjars/swagger-ui/pom.properties";
    private static final String OWN = "dev/apikeyauth/docs/";
    private static final String HTML = "text/html; charset=utf-8";
    private static final String JS = "text/javascript; charset=utf-8";
    private static final String CSS = "text/css; charset=utf-8";
    private static final String PNG = "image/png";

    /**
     * The files under {@code /docs/} and their content types. {@code swagger-initializer.js} is
     * ours (it names our document); the rest are the webjar's, as shipped.
     */
    public static final Map<String, String> ASSETS = Map.of(
            "swagger-ui.css", CSS,
            "index.css", CSS,
            "swagger-ui-bundle.js", JS,
            "swagger-initializer.js", JS,
            "favicon-32x32.png", PNG,
            "favicon-16x16.png", PNG);

    private SwaggerUi() {
    }

    /** {@code GET /docs}: the HTML page, never cached (like every answer but the assets). */
    public static void page(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.status(200).contentType(HTML).result(Files.PAGE);
    }

    /** {@code GET /docs/{asset}}: one of {@link #ASSETS}, else the contract's 404. */
    public static void asset(Context ctx) {
        String name = ctx.pathParam("asset");
        byte[] body = Files.BODIES.get(name);
        if (body == null) {
            throw new NotFoundResponse();
        }
        ctx.header("Cache-Control", ASSET_CACHE_CONTROL);
        ctx.status(200).contentType(ASSETS.get(name)).result(body);
    }

    /**
     * The files, read once from the classpath on the first visit to {@code /docs} (the holder
     * class initialises then): about 2 MB and 30-50 ms that a cold start and an instance nobody
     * browses need not pay. {@code JarIT} checks that the packaged jar serves them.
     */
    private static final class Files {
        static final byte[] PAGE = read(OWN + "index.html");
        static final Map<String, byte[]> BODIES = readAssets();

        private static Map<String, byte[]> readAssets() {
            String dir = WEBJAR + webjarVersion() + "/";
            Map<String, byte[]> bodies = new java.util.HashMap<>();
            for (String name : ASSETS.keySet()) {
                bodies.put(name, read(name.equals("swagger-initializer.js") ? OWN + name : dir + name));
            }
            return Map.copyOf(bodies);
        }

        /** The version directory inside the webjar, from the webjar's own Maven metadata. */
        private static String webjarVersion() {
            Properties pom = new Properties();
            try (InputStream in = open(WEBJAR_POM)) {
                pom.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return pom.getProperty("version");
        }

        private static byte[] read(String resource) {
            try (InputStream in = open(resource)) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static InputStream open(String resource) {
            InputStream in = SwaggerUi.class.getClassLoader().getResourceAsStream(resource);
            if (in == null) {
                throw new IllegalStateException("missing from the classpath: " + resource);
            }
            return in;
        }
    }
}
