package dev.apikeyauth.docs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

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
    public static final String ASSET_CACHE_CONTROL = "public, max-age=3600";

    /**
     * The page takes scripts, styles and data from this service alone: a person pastes a key into
     * it, so nothing injected or loaded from elsewhere may run there. Swagger UI sets inline styles
     * and draws icons from data: URIs, hence those two allowances.
     */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; connect-src 'self'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; "
            + "form-action 'none'";

    private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
    private static final String WEBJAR_POM = "META-INF/maven/org.webjars/swagger-ui/pom.properties";
    private static final String OWN = "dev/apikeyauth/docs/";
    public static final String HTML = "text/html; charset=utf-8";
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

    /** The HTML page of {@code GET /docs}. */
    public static ByteBuffer page() {
        return Files.PAGE.duplicate();
    }

    /** One of {@link #ASSETS} by name, or {@code null} for any other name. */
    public static Asset asset(String name) {
        return Files.ASSETS.get(name);
    }

    /**
     * A file of the page, as read and, where it helps, gzip-compressed once, when the files are
     * first needed: no request pays for compression (a gzip of the 1.7 MB bundle per request was a
     * denial of service anyone without a key could run).
     *
     * <p>The bytes live outside the heap: Jetty writes them to the socket as they are, with no
     * per-request copy and no per-thread temporary direct buffer of their size.
     *
     * @param contentType its media type
     * @param identity    its bytes as shipped
     * @param gzip        the same, gzip-compressed, or {@code null} when compression doesn't help
     */
    public record Asset(String contentType, ByteBuffer identity, ByteBuffer gzip) {
        /** The bytes as shipped, ready to write (a view: the stored bytes are never consumed). */
        public ByteBuffer plain() {
            return identity.duplicate();
        }

        /** The gzip bytes, ready to write, or {@code null}. */
        public ByteBuffer compressed() {
            return gzip == null ? null : gzip.duplicate();
        }
    }

    /**
     * The files, read once from the classpath on the first visit to {@code /docs} (the holder
     * class initialises then): about 2 MB and some 100 ms of reading and compressing that a cold
     * start and an instance nobody browses need not pay. {@code JarIT} checks that the packaged jar
     * serves them.
     */
    private static final class Files {
        static final ByteBuffer PAGE = offHeap(read(OWN + "index.html"));
        static final Map<String, Asset> ASSETS = readAssets();

        private static Map<String, Asset> readAssets() {
            String dir = WEBJAR + webjarVersion() + "/";
            Map<String, Asset> assets = new HashMap<>();
            SwaggerUi.ASSETS.forEach((name, type) -> {
                byte[] bytes = read(name.equals("swagger-initializer.js") ? OWN + name : dir + name);
                byte[] gzip = gzip(bytes);
                // PNGs are compressed already: a gzip of them is no smaller, so they go as they are.
                boolean worthIt = gzip.length < bytes.length * 0.9;
                assets.put(name, new Asset(type, offHeap(bytes), worthIt ? offHeap(gzip) : null));
            });
            return Map.copyOf(assets);
        }

        private static byte[] gzip(byte[] bytes) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3);
            try (GZIPOutputStream zip = new GZIPOutputStream(out) {
                {
                    def.setLevel(Deflater.BEST_COMPRESSION);
                }
            }) {
                zip.write(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        }

        private static ByteBuffer offHeap(byte[] bytes) {
            return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip().asReadOnlyBuffer();
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
