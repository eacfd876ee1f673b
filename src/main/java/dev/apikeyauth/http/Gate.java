package dev.apikeyauth.http;

import dev.apikeyauth.auth.Authenticator;
import dev.apikeyauth.auth.BearerParser;
import java.nio.ByteBuffer;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler every request meets, in front of Javalin's servlet: it sets the headers every
 * answer carries, decides authentication before any routing, and answers the service's hot
 * requests itself — every refusal (400/401/403) and, with the default greeting, {@code GET /} and
 * {@code HEAD /}. Everything else (public paths, 404/405, the other routes) goes on to Javalin,
 * with the request id and the guard's decision as request attributes.
 *
 * <p>Why here and not in a Javalin before-handler: Javalin's servlet pipeline (a servlet context,
 * a session handler, a per-request task queue, exception mapping) costs several times the rest of
 * the request on one CPU, and a flood of wrong keys should be the cheapest traffic there is, not
 * the dearest. The answers are the same bytes the Javalin routes give; the contract tests pin both.
 *
 * <p>The gate never blocks, and says so ({@link #getInvocationType()}): Jetty then runs it on the
 * thread that read the request, with no hand-off to another thread. What goes on to the (blocking)
 * servlet is handed to the server's thread pool here instead.
 */
final class Gate extends Handler.Wrapper {
    private static final Logger LOG = LoggerFactory.getLogger(App.class);
    private static final HttpField NOSNIFF = new PreEncodedHttpField("X-Content-Type-Options", "nosniff");
    private static final HttpField NO_STORE = new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "no-store");
    private static final HttpField JSON = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, Responses.JSON);
    /** {@code Content-Length} fields for the short bodies the gate writes, made once, not per answer. */
    private static final HttpField[] CONTENT_LENGTHS = contentLengths(128);

    private final Authenticator authenticator;
    private final Set<String> publicPaths;
    private final AuthListener listener;
    private final RequestMetrics requestMetrics;
    private final boolean answersGreeting;

    /**
     * @param answersGreeting whether {@code GET /} and {@code HEAD /} are the standard greeting,
     *                        which the gate then writes itself; otherwise Javalin's route runs
     */
    Gate(Authenticator authenticator, Set<String> publicPaths, AuthListener listener, RequestMetrics requestMetrics,
         boolean answersGreeting) {
        this.authenticator = authenticator;
        this.publicPaths = publicPaths;
        this.listener = listener;
        this.requestMetrics = requestMetrics;
        this.answersGreeting = answersGreeting;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        long begin = System.nanoTime();
        HttpFields headers = request.getHeaders();
        String requestId = RequestIds.choose(headers.get(RequestIds.HEADER));
        HttpFields.Mutable out = response.getHeaders();
        out.put(RequestIds.HEADER, requestId);
        out.put(NOSNIFF);
        out.put(NO_STORE);

        // Exact match on the raw path: "/health/", "//health" or "/%68ealth" are not public. Only
        // GET and HEAD are: another method without a key is refused like any other request.
        String path = request.getHttpURI().getPath();
        String method = request.getMethod();
        boolean read = HttpMethod.GET.is(method) || HttpMethod.HEAD.is(method);
        if (read && publicPaths.contains(path)) {
            return passOn(request, response, callback, requestId, null);
        }
        Authenticator.Result result;
        try {
            result = authenticator.authenticate(BearerParser.parse(headers.getValues(HttpHeader.AUTHORIZATION.asString())));
        } catch (RuntimeException e) {
            LOG.error("Unhandled exception in request {}", requestId, e);
            return answer(request, response, callback, begin, requestId, path, null, 500, Responses.INTERNAL_ERROR);
        }
        listener.onAuthentication(result);
        ApiError refusal = switch (result.outcome()) {
            case OK -> null;
            case MULTIPLE -> ApiError.MULTIPLE_AUTHORIZATION;
            case INVALID, EXPIRED -> ApiError.INVALID_CREDENTIALS;
            default -> ApiError.NOT_AUTHENTICATED;
        };
        if (refusal != null) {
            if (refusal.wwwAuthenticateField() != null) {
                out.put(refusal.wwwAuthenticateField());
            }
            return answer(request, response, callback, begin, requestId, path, result, refusal.status(), refusal.body());
        }
        if (answersGreeting && read && path.equals("/")) {
            return answer(request, response, callback, begin, requestId, path, result, 200, Responses.HELLO);
        }
        return passOn(request, response, callback, requestId, result);
    }

    private static HttpField[] contentLengths(int count) {
        HttpField[] fields = new HttpField[count];
        for (int length = 0; length < count; length++) {
            fields[length] = new HttpField.LongValueHttpField(HttpHeader.CONTENT_LENGTH, length);
        }
        return fields;
    }

    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    /**
     * Javalin's servlet may block: run it on a pool thread, never on the one that reads requests.
     * The request id and the guard's decision go with it as request attributes (only here: the
     * answers the gate writes itself need no attribute map).
     */
    private boolean passOn(Request request, Response response, Callback callback, String requestId,
                           Authenticator.Result result) {
        request.setAttribute(RequestIds.ATTRIBUTE, requestId);
        if (result != null) {
            request.setAttribute(Caller.ATTRIBUTE, result);
        }
        getServer().getThreadPool().execute(() -> {
            try {
                if (!super.handle(request, response, callback)) {
                    Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
                }
            } catch (Throwable e) {
                callback.failed(e);
            }
        });
        return true;
    }

    /** Writes a JSON answer (Jetty leaves the body out for HEAD) after its access-log line and metrics. */
    private boolean answer(Request request, Response response, Callback callback, long begin,
                                  String requestId, String path, Authenticator.Result result, int status,
                                  byte[] body) {
        response.setStatus(status);
        HttpFields.Mutable out = response.getHeaders();
        out.put(JSON);
        out.put(body.length < CONTENT_LENGTHS.length ? CONTENT_LENGTHS[body.length]
                : new HttpField.LongValueHttpField(HttpHeader.CONTENT_LENGTH, body.length));
        // Logged and counted before the write, so both exist by the time the caller has the answer.
        long nanos = System.nanoTime() - begin;
        String method = request.getMethod();
        String route = requestMetrics.route(path);
        AccessLog.log(requestId, method, route, status, nanos, result, Request.getRemoteAddr(request));
        requestMetrics.recordRoute(route, method, status, nanos);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
