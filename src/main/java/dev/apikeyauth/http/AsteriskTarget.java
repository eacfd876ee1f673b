package dev.apikeyauth.http;

import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Routes the asterisk-form target ({@code OPTIONS * HTTP/1.1}) through the app like any unknown
 * path. Jetty would otherwise answer it with a 404 before the guard runs, telling a caller without
 * a key something the contract says it must not learn before authenticating. It decides and
 * answers nothing: it only renames the target so that Javalin can route it.
 */
final class AsteriskTarget extends Handler.Wrapper {
    static final String PATH = "/*";

    /** Javalin attaches its servlet inside, as this wrapper's handler. */
    AsteriskTarget() {
        super();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        HttpURI uri = request.getHttpURI();
        if ("*".equals(uri.getPath())) {
            HttpURI rewritten = HttpURI.build(uri).path(PATH);
            request = new Request.Wrapper(request) {
                @Override
                public HttpURI getHttpURI() {
                    return rewritten;
                }
            };
        }
        return super.handle(request, response, callback);
    }
}
