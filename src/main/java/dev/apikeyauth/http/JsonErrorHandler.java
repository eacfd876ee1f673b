package dev.apikeyauth.http;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's answer to what its HTTP parser refuses before Javalin can see the request (431, 414,
 * 400, 505...): the contract's short JSON body and headers instead of Jetty's HTML page. These
 * requests have no route, no key check and no access-log line; the README says so.
 *
 * <p>The detail is the standard reason phrase, never Jetty's message, which may quote the input.
 */
final class JsonErrorHandler extends ErrorHandler {
    private static final HttpField NO_STORE = new HttpField(HttpHeader.CACHE_CONTROL, "no-store");
    private static final HttpField NOSNIFF = new HttpField(Guard.NOSNIFF_HEADER, "nosniff");

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        if (status == HttpStatus.UPGRADE_REQUIRED_426) {
            // Jetty answers "HTTP/2.0" in clear text with 426; the contract gives every version
            // other than 1.0 and 1.1 a 505.
            status = HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505;
        }
        if (status >= 500 && status != HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505
                && status != HttpStatus.SERVICE_UNAVAILABLE_503) {
            // Whatever failed inside Jetty, the caller sees the contract's 500 and nothing more.
            status = HttpStatus.INTERNAL_SERVER_ERROR_500;
        }
        response.setStatus(status);
        var headers = response.getHeaders();
        headers.put(NO_STORE);
        headers.put(NOSNIFF);
        headers.put(RequestIds.HEADER, RequestIds.fresh());
        Responses.send(response, callback, ApiError.forStatus(status).body());
        return true;
    }
}
