package dev.apikeyauth.docs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apikeyauth.ops.Version;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The OpenAPI 3.1 document of every route, served at {@code /openapi.json}: the one deliberate
 * public description of the service (CONTRACT §1).
 *
 * <p>Made from the service's route list, the same list that registers the routes and names the
 * public paths, so the document can't describe a route the service doesn't have, or miss one.
 */
public final class OpenApi {
    /** The document's path. */
    public static final String PATH = "/openapi.json";
    /** The name of the bearer security scheme in the document. */
    public static final String BEARER = "bearerAuth";
    /** The name of the key-header security scheme, present when {@code AUTH_API_KEY_HEADER} is set. */
    public static final String API_KEY = "apiKeyAuth";
    /** The JSON media type. */
    public static final String JSON = "application/json";
    /** The tags an operation may carry. */
    public static final String GREETING = "greeting";
    public static final String OPERATIONS = "operations";
    public static final String DOCUMENTATION = "documentation";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ERROR_SCHEMA = "#/components/schemas/Error";

    private OpenApi() {
    }

    /**
     * One operation of the document.
     *
     * @param method the HTTP method, upper case
     * @param path   the route's path, with {@code {param}} for its parameter
     * @param open   whether it is served without a key
     * @param scope  the scope its key must hold, or {@code null}
     * @param doc    what the document says of it
     */
    public record Operation(String method, String path, boolean open, String scope, Doc doc) {
    }

    /**
     * The document for this build and these operations, serialized.
     *
     * @param keyHeader the header that also carries a key ({@code AUTH_API_KEY_HEADER}), or {@code null}
     */
    public static byte[] create(List<Operation> operations, String keyHeader) {
        try {
            return MAPPER.writeValueAsBytes(document(Version.get(), operations, keyHeader));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the OpenAPI document does not serialize", e);
        }
    }

    static ObjectNode document(String version, List<Operation> operations, String keyHeader) {
        ObjectNode doc = MAPPER.createObjectNode();
        doc.put("openapi", "3.1.0");
        doc.putObject("info")
                .put("title", "api-key-auth")
                .put("version", version)
                .put("summary", "An HTTP API whose every route requires a bearer API key, but for a few public ones.")
                .put("description", "Send `Authorization: Bearer <key>`. Authentication is decided before routing, "
                        + "so without a valid key a path that exists and one that does not get the same 401 or 403. "
                        + "Every error body is `{\"detail\": \"...\"}`. With a valid key, an unknown path answers 404 "
                        + "and a known path with another method answers 405 with an `Allow` header. Every response "
                        + "carries `X-Request-Id` (the caller's own when it is 1-128 characters of `[A-Za-z0-9._-]`) "
                        + "and `X-Content-Type-Options: nosniff`. An operation that needs a scope names it in its "
                        + "security requirement; a valid key without it gets 403 `Insufficient scope`."
                        + (keyHeader == null ? "" : " A key may also be sent as the whole value of `" + keyHeader
                        + "`, instead of `Authorization` (both at once, or the header twice: 400)."));
        requirement(doc.putArray("security"), null, keyHeader);
        ArrayNode tags = doc.putArray("tags");
        tags.addObject().put("name", GREETING).put("description", "The FastAPI example's route");
        tags.addObject().put("name", OPERATIONS).put("description", "For platforms and operators");
        tags.addObject().put("name", DOCUMENTATION).put("description", "This document and the page that renders it");

        ObjectNode paths = doc.putObject("paths");
        for (Operation operation : operations) {
            ObjectNode path = paths.has(operation.path()) ? (ObjectNode) paths.get(operation.path())
                    : paths.putObject(operation.path());
            operation(path, operation, keyHeader);
        }
        doc.set("components", components(keyHeader));
        return doc;
    }

    /** Adds an operation: its own answers and, for a protected one, the refusals every such route can answer. */
    private static void operation(ObjectNode path, Operation operation, String keyHeader) {
        Doc doc = operation.doc();
        ObjectNode op = path.putObject(operation.method().toLowerCase(Locale.ROOT));
        op.put("operationId", doc.id()).put("summary", doc.summary()).putArray("tags").add(doc.tag());
        ArrayNode security = op.putArray("security");
        if (!operation.open()) {
            requirement(security, operation.scope(), keyHeader);
        }
        if (doc.param() != null) {
            ArrayNode values = op.putArray("parameters").addObject()
                    .put("name", doc.param()).put("in", "path").put("required", true)
                    .putObject("schema").put("type", "string").putArray("enum");
            new TreeSet<>(doc.values()).forEach(values::add);
        }
        ObjectNode responses = op.putObject("responses");
        for (Doc.Answer answer : doc.answers()) {
            answer(responses, answer);
        }
        if (!operation.open()) {
            ref(responses, 400, keyHeader == null ? "MultipleAuthorization" : "MultipleCredentials");
            ref(responses, 401, "NotAuthenticated");
            if (operation.scope() == null) {
                ref(responses, 403, "InvalidCredentials");
            } else {
                forbidden(responses, operation.scope());
            }
        }
        ref(responses, 500, "InternalError");
    }

    private static void answer(ObjectNode responses, Doc.Answer answer) {
        if (answer.reference() != null) {
            ref(responses, answer.status(), answer.reference());
            return;
        }
        ObjectNode response = responses.putObject(Integer.toString(answer.status()))
                .put("description", answer.description());
        if (answer.mediaTypes().isEmpty()) {
            return;
        }
        ObjectNode content = response.putObject("content");
        for (String mediaType : answer.mediaTypes()) {
            ObjectNode media = content.putObject(mediaType);
            if (Character.isUpperCase(answer.schema().charAt(0))) {
                media.putObject("schema").put("$ref", "#/components/schemas/" + answer.schema());
            } else {
                media.putObject("schema").put("type", answer.schema());
            }
            if (answer.example() != null) {
                try {
                    media.set("example", MAPPER.readTree(answer.example()));
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException("an example that is not JSON: " + answer.example(), e);
                }
            }
        }
    }

    /**
     * Adds the alternatives that satisfy an operation: the bearer scheme, or the key header when
     * there is one, each with the scope needed. OpenAPI 3.1 lets a scheme other than OAuth list the
     * roles it needs.
     */
    private static void requirement(ArrayNode security, String scope, String keyHeader) {
        ArrayNode bearer = security.addObject().putArray(BEARER);
        if (scope != null) {
            bearer.add(scope);
        }
        if (keyHeader != null) {
            ArrayNode apiKey = security.addObject().putArray(API_KEY);
            if (scope != null) {
                apiKey.add(scope);
            }
        }
    }

    /** The 403 of an operation that needs {@code scope}: an unknown key, or a valid one without the scope. */
    private static void forbidden(ObjectNode responses, String scope) {
        ObjectNode response = responses.putObject("403").put("description", "A token that is no active key "
                + "(`Could not validate credentials`, no challenge), or an active key without the scope `" + scope
                + "` (`Insufficient scope`, with the challenge)");
        response.putObject("headers").putObject("WWW-Authenticate").put("required", false)
                .put("description", "Only for `Insufficient scope` (RFC 6750 §3.1)")
                .putObject("schema").put("type", "string").put("const", insufficientScope(scope));
        ObjectNode media = response.putObject("content").putObject(JSON);
        media.putObject("schema").put("$ref", ERROR_SCHEMA);
        ObjectNode examples = media.putObject("examples");
        examples.putObject("invalidCredentials").putObject("value").put("detail", "Could not validate credentials");
        examples.putObject("insufficientScope").putObject("value").put("detail", "Insufficient scope");
    }

    /** The challenge of a valid key without {@code scope}; OpenApiTest checks it is what the guard sends. */
    private static String insufficientScope(String scope) {
        return "Bearer error=\"insufficient_scope\", scope=\"" + scope + "\"";
    }

    private static void ref(ObjectNode responses, int status, String name) {
        responses.putObject(Integer.toString(status)).put("$ref", "#/components/responses/" + name);
    }

    private static ObjectNode components(String keyHeader) {
        ObjectNode components = MAPPER.createObjectNode();
        ObjectNode schemes = components.putObject("securitySchemes");
        schemes.putObject(BEARER)
                .put("type", "http")
                .put("scheme", "bearer")
                .put("description", "An API key, sent as `Authorization: Bearer <key>`. "
                        + "Create one with `java -jar api-key-auth.jar generate-key`.");
        if (keyHeader != null) {
            schemes.putObject(API_KEY)
                    .put("type", "apiKey")
                    .put("in", "header")
                    .put("name", keyHeader)
                    .put("description", "The same API key, sent as the whole value of `" + keyHeader + ": <key>` "
                            + "instead of `Authorization`.");
        }

        ObjectNode schemas = components.putObject("schemas");
        ObjectNode error = schemas.putObject("Error").put("type", "object").put("additionalProperties", false);
        error.putArray("required").add("detail");
        error.putObject("properties").putObject("detail").put("type", "string");
        ObjectNode hello = schemas.putObject("Hello").put("type", "object").put("additionalProperties", false);
        hello.putArray("required").add("message");
        hello.putObject("properties").putObject("message").put("type", "string").putArray("examples")
                .add("Hello, World!");
        ObjectNode health = schemas.putObject("Health").put("type", "object").put("additionalProperties", false);
        health.putArray("required").add("status");
        health.putObject("properties").putObject("status").put("type", "string").putArray("enum")
                .add("UP").add("DOWN");

        ObjectNode responses = components.putObject("responses");
        error(responses, "MultipleAuthorization", "Two or more Authorization headers",
                "Multiple Authorization headers", "WWW-Authenticate", "Bearer error=\"invalid_request\"");
        if (keyHeader != null) {
            ObjectNode multiple = responses.putObject("MultipleCredentials").put("description",
                    "Two Authorization headers (`Multiple Authorization headers`), or `" + keyHeader
                            + "` twice or beside Authorization (`Multiple credentials`)");
            multiple.putObject("headers").putObject("WWW-Authenticate").put("required", true)
                    .putObject("schema").put("type", "string").put("const", "Bearer error=\"invalid_request\"");
            ObjectNode media = multiple.putObject("content").putObject(JSON);
            media.putObject("schema").put("$ref", ERROR_SCHEMA);
            ObjectNode examples = media.putObject("examples");
            examples.putObject("multipleAuthorization").putObject("value")
                    .put("detail", "Multiple Authorization headers");
            examples.putObject("multipleCredentials").putObject("value").put("detail", "Multiple credentials");
        }
        error(responses, "NotAuthenticated", "No Authorization header, another scheme than Bearer, or no token",
                "Not authenticated", "WWW-Authenticate", "Bearer");
        error(responses, "InvalidCredentials", "A well-formed token that is no active key (unknown, expired or "
                + "removed alike)", "Could not validate credentials", null, null);
        error(responses, "NotFound", "No such path or file", "Not Found", null, null);
        error(responses, "MethodNotAllowed", "A known path with another method; `Allow` lists the path's methods "
                + "(answered only to a caller who passed the key check)", "Method Not Allowed", "Allow", "GET, HEAD");
        error(responses, "InternalError", "An unexpected fault; never a stack trace", "Internal Server Error",
                null, null);
        return components;
    }

    /**
     * Adds an error response with its {@code {"detail": ...}} body and, if {@code header} is not
     * null, that header: a {@code const} for the challenge, an example for {@code Allow}.
     */
    private static void error(ObjectNode responses, String name, String description, String detail,
                              String header, String value) {
        ObjectNode response = responses.putObject(name).put("description", description);
        if (header != null) {
            ObjectNode schema = response.putObject("headers").putObject(header).put("required", true)
                    .putObject("schema").put("type", "string");
            if (header.equals("Allow")) {
                schema.putArray("examples").add(value);
            } else {
                schema.put("const", value);
            }
        }
        ObjectNode media = response.putObject("content").putObject(JSON);
        media.putObject("schema").put("$ref", ERROR_SCHEMA);
        media.putObject("example").put("detail", detail);
    }
}
