package dev.apikeyauth.http;

import dev.apikeyauth.auth.Authenticator;
import dev.apikeyauth.ops.Metrics;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Feeds {@link Metrics} from the app's two hooks: the guard's authentication decisions and the
 * request logger that runs once each response is complete.
 *
 * <p>The route label is worked out from the path here rather than from Javalin's matched endpoint,
 * because the guard refuses most unwanted requests before routing: a 401 to {@code /metrics} still
 * counts under {@code /metrics}, and any path that no route matches shares {@code unmatched}.
 */
final class RequestMetrics implements AuthListener {
    private final Metrics metrics;
    private final Set<String> exact = new HashSet<>();
    private final List<String> prefixes = new ArrayList<>();
    private final List<String> prefixTemplates = new ArrayList<>();

    /**
     * @param templates route paths, either exact or ending in one {@code {param}} segment
     */
    RequestMetrics(Metrics metrics, List<String> templates) {
        this.metrics = metrics;
        for (String template : templates) {
            int param = template.indexOf('{');
            if (param < 0) {
                exact.add(template);
            } else if (template.charAt(param - 1) == '/' && template.indexOf('}') == template.length() - 1) {
                prefixes.add(template.substring(0, param));
                prefixTemplates.add(template);
            } else {
                throw new IllegalArgumentException("unsupported route template " + template);
            }
        }
    }

    @Override
    public void onAuthentication(Authenticator.Result result) {
        metrics.recordAuthentication(result.outcome(), result.identity());
    }

    /** Told first of each decision, then {@code next}. */
    AuthListener andThen(AuthListener next) {
        return next == AuthListener.NONE ? this : result -> {
            onAuthentication(result);
            next.onAuthentication(result);
        };
    }

    /** A request logger: counts the finished request under its route template, method and status. */
    void record(Context ctx, Float millis) {
        recordRoute(route(ctx.path()), ctx.req().getMethod(), ctx.statusCode(), (long) (millis * 1_000_000.0));
    }

    /** The same, for a request the {@link Gate} answered itself; {@code route} is {@link #route}'s. */
    void recordRoute(String route, String method, int status, long nanos) {
        metrics.recordRequest(route, method, status, nanos);
    }

    /**
     * The template of the route the path would match (as Javalin matches: the raw path, exactly; a
     * {@code {param}} is one non-empty segment), or {@link Metrics#UNMATCHED}.
     */
    String route(String path) {
        if (exact.contains(path)) {
            return path;
        }
        for (int i = 0; i < prefixes.size(); i++) {
            String prefix = prefixes.get(i);
            if (path.length() > prefix.length() && path.startsWith(prefix) && path.indexOf('/', prefix.length()) < 0) {
                return prefixTemplates.get(i);
            }
        }
        return Metrics.UNMATCHED;
    }
}
