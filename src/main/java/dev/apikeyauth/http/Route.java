package dev.apikeyauth.http;

import dev.apikeyauth.docs.Doc;
import dev.apikeyauth.docs.OpenApi;
import dev.apikeyauth.keys.Scopes;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Objects;

/**
 * One route of the service, declared once: its method, path, handler, whether it needs a key, the
 * scope its key must hold, and what the OpenAPI document says of it. The registration with Javalin,
 * the public paths, the scopes the guard asks for, the metric's route label and the document are
 * all derived from the list of these in {@link Routes}.
 *
 * @param method  the HTTP method
 * @param path    the path, exact, or with one {@code {param}} segment at the end
 * @param handler what answers it
 * @param open    whether it is served without a key ({@code GET} and {@code HEAD} only)
 * @param scope   the scope the caller's key must hold, or {@code null} for none; only on a route
 *                that needs a key, and only on an exact path (the guard looks it up before routing)
 * @param doc     what the document says of it; a parameter's values are the only ones served
 *                without a key on an open route
 */
public record Route(HandlerType method, String path, Handler handler, boolean open, String scope, Doc doc) {

    public Route {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(doc, "doc");
        if (open && method != HandlerType.GET && method != HandlerType.HEAD) {
            throw new IllegalArgumentException("only GET and HEAD may be open: " + method + " " + path);
        }
        if (scope != null) {
            if (open) {
                throw new IllegalArgumentException("an open route needs no scope: " + method + " " + path);
            }
            if (!Scopes.isValidName(scope)) {
                throw new IllegalArgumentException("not a scope name: " + method + " " + path);
            }
            if (doc.param() != null || path.contains("{") || path.contains("<")) {
                throw new IllegalArgumentException("a route that needs a scope has an exact path: " + path);
            }
        }
    }

    /** A route that needs a key, of any scope. */
    static Route keyed(HandlerType method, String path, Handler handler, Doc doc) {
        return new Route(method, path, handler, false, null, doc);
    }

    /** A route that needs a key holding {@code scope}. */
    static Route scoped(HandlerType method, String path, String scope, Handler handler, Doc doc) {
        return new Route(method, path, handler, false, scope, doc);
    }

    /** A route served without a key. */
    static Route open(HandlerType method, String path, Handler handler, Doc doc) {
        return new Route(method, path, handler, true, null, doc);
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
        return new OpenApi.Operation(method.name(), path, open, scope, doc);
    }
}
