package dev.apikeyauth.http;

import dev.apikeyauth.docs.Doc;
import dev.apikeyauth.docs.OpenApi;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Objects;

/**
 * One route of the service, declared once: its method, path, handler, whether it needs a key, and
 * what the OpenAPI document says of it. The registration with Javalin, the public paths, the
 * metric's route label and the document are all derived from the list of these in {@link Routes}.
 *
 * @param method  the HTTP method
 * @param path    the path, exact, or with one {@code {param}} segment at the end
 * @param handler what answers it
 * @param open    whether it is served without a key ({@code GET} and {@code HEAD} only)
 * @param doc     what the document says of it; a parameter's values are the only ones served
 *                without a key on an open route
 */
public record Route(HandlerType method, String path, Handler handler, boolean open, Doc doc) {

    public Route {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(doc, "doc");
        if (open && method != HandlerType.GET && method != HandlerType.HEAD) {
            throw new IllegalArgumentException("only GET and HEAD may be open: " + method + " " + path);
        }
    }

    /** A route that needs a key. */
    static Route keyed(HandlerType method, String path, Handler handler, Doc doc) {
        return new Route(method, path, handler, false, doc);
    }

    /** A route served without a key. */
    static Route open(HandlerType method, String path, Handler handler, Doc doc) {
        return new Route(method, path, handler, true, doc);
    }

    /** The concrete paths this route serves: the path itself, or one per documented parameter value. */
    List<String> concretePaths() {
        if (doc.param() == null) {
            return List.of(path);
        }
        String placeholder = "{" + doc.param() + "}";
        return doc.values().stream().map(value -> path.replace(placeholder, value)).toList();
    }

    /** How the OpenAPI document lists it. */
    OpenApi.Operation operation() {
        return new OpenApi.Operation(method.name(), path, open, doc);
    }
}
