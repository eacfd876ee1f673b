package dev.apikeyauth.http;

import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.eclipse.jetty.ee10.servlet.HttpOutput;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The one writer of response bodies, and the JSON bodies of the contract, encoded once.
 *
 * <p>Every body goes to the socket <em>without blocking</em>: it is handed to Jetty whole
 * ({@link HttpOutput#sendContent(ByteBuffer, Callback)}, as Jetty's own static-file servlet does),
 * and the request's thread goes back to the pool at once. A client that doesn't read its answer
 * holds a connection and the bytes it asked for, never a thread, so slow readers can't starve
 * {@code /health} or anyone else. A write still waiting after {@link #WRITE_TIMEOUT} has its
 * connection closed.
 *
 * <p>The bodies are one-member objects with a string value, so a few lines of escaping do what a
 * JSON library would; Jackson stays off the start-up path.
 */
final class Responses {
    static final String JSON = "application/json";
    /**
     * How long one response may take to reach a client that reads slowly or not at all: the largest
     * (the gzip'd Swagger UI bundle, about 0.5 MB) needs some 50 KB/s. Well under the idle timeout,
     * so a stalled download is cut off first and its connection freed.
     */
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);

    static final byte[] HELLO = member("message", "Hello, World!");
    static final byte[] UP = member("status", "UP");
    static final byte[] DOWN = member("status", "DOWN");

    /** The servlet context's attribute holding the app's write timeout (a {@link Duration}). */
    static final String WRITE_TIMEOUT_ATTRIBUTE = "apikeyauth.writeTimeout";
    private static final String WRITE_ATTRIBUTE = "apikeyauth.write";

    private Responses() {
    }

    static byte[] detailBody(String detail) {
        return member("detail", detail);
    }

    /** {@code {"name":"value"}} in UTF-8, compact, as Jackson writes it. */
    static byte[] member(String name, String value) {
        StringBuilder json = new StringBuilder(name.length() + value.length() + 8).append('{');
        quote(json, name).append(':');
        return quote(json, value).append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A JSON string literal (RFC 8259 §7): quote, backslash and control characters escaped. */
    static StringBuilder quote(StringBuilder json, String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04X", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"');
    }

    /** Writes a JSON body, whatever the caller's {@code Accept} says. */
    static void json(Context ctx, int status, byte[] body) {
        send(ctx.req(), ctx.res(), status, JSON, ByteBuffer.wrap(body));
    }

    /** Writes an error answer: its status, challenge and {@code {"detail": ...}} body. */
    static void error(Context ctx, ApiError error) {
        if (error.wwwAuthenticate() != null) {
            ctx.res().setHeader(HttpHeader.WWW_AUTHENTICATE.asString(), error.wwwAuthenticate());
        }
        json(ctx, error.status(), error.body());
    }

    /**
     * Writes {@code body} as the whole answer, without blocking (Jetty leaves the body out for
     * {@code HEAD}). {@code request} may be {@code null} where only the response is at hand (the
     * handler of {@code java.lang.Error}s); such a write is neither timed nor awaited by the log.
     */
    static void send(HttpServletRequest request, HttpServletResponse response, int status, String contentType,
                     ByteBuffer body) {
        response.setStatus(status);
        if (!contentType.contains("charset=")) {
            // Javalin sets UTF-8 on every response, which Jetty would append to any type (a PNG
            // with a charset); a type that wants one names it.
            response.setCharacterEncoding(null);
        }
        response.setContentType(contentType);
        HttpOutput out;
        try {
            out = (HttpOutput) response.getOutputStream();
        } catch (IOException e) {
            throw new IllegalStateException("the response has no output", e);
        }
        Write write = new Write();
        out.sendContent(body, write);
        if (request != null && !write.isDone()) {
            request.setAttribute(WRITE_ATTRIBUTE, write);
            Object timeout = request.getServletContext().getAttribute(WRITE_TIMEOUT_ATTRIBUTE);
            write.limit(ServletContextRequest.getServletContextRequest(request),
                    timeout instanceof Duration limit ? limit : WRITE_TIMEOUT);
        }
    }

    /**
     * Runs {@code then} with whether the body reached the socket: at once when it already has (or
     * nothing was written through here), else when the pending write ends.
     */
    static void whenWritten(HttpServletRequest request, BiConsumer<Boolean, Throwable> then) {
        Object write = request.getAttribute(WRITE_ATTRIBUTE);
        if (write instanceof Write pending) {
            pending.whenDone(then);
        } else {
            then.accept(true, null);
        }
    }

    /** For Jetty's error handler, outside Javalin: the same JSON body through Jetty's own API. */
    static void send(Response response, Callback callback, byte[] body) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** One body on its way to the socket; its end is told to whoever waits for it (the request log). */
    private static final class Write implements Callback {
        private BiConsumer<Boolean, Throwable> then;
        private boolean done;
        private Throwable failure;
        private Scheduler.Task deadline;

        @Override
        public void succeeded() {
            finish(null);
        }

        @Override
        public void failed(Throwable x) {
            finish(x);
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }

        synchronized boolean isDone() {
            return done;
        }

        /** Closes the connection if the write is still waiting after {@code timeout}. */
        void limit(Request request, Duration timeout) {
            EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
            Scheduler.Task task = request.getConnectionMetaData().getConnector().getScheduler().schedule(
                    () -> endPoint.close(new TimeoutException("response not read within " + timeout)),
                    timeout.toMillis(), TimeUnit.MILLISECONDS);
            synchronized (this) {
                if (!done) {
                    deadline = task;
                    return;
                }
            }
            task.cancel();
        }

        void whenDone(BiConsumer<Boolean, Throwable> action) {
            synchronized (this) {
                if (!done) {
                    then = action;
                    return;
                }
            }
            action.accept(failure == null, failure);
        }

        private void finish(Throwable x) {
            BiConsumer<Boolean, Throwable> action;
            Scheduler.Task task;
            synchronized (this) {
                done = true;
                failure = x;
                action = then;
                task = deadline;
            }
            if (task != null) {
                task.cancel();
            }
            if (action != null) {
                action.accept(x == null, x);
            }
        }
    }
}
