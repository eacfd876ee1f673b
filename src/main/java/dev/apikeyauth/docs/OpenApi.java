package dev.apikeyauth.docs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apikeyauth.ops.Version;
import io.javalin.http.Context;
import java.util.TreeSet;

/**
 * The OpenAPI 3.1 document of every route, served at {@code /openapi.json}: the one deliberate
 * public description of the service (CONTRACT §1).
 *
 * <p>Written by hand as data rather than derived from the routes, so that a test comparing it with
 * the routes the app really registers catches a route added on one side only.
 */
public final class OpenApi {
    /** The document's path. */
    public static final String PATH = "/openapi.json";
    /** The name of the bearer security scheme in the document. */
    public static final String BEARER = "bearerAuth";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String JSON = "application/json";
    private static final String ERROR_SCHEMA = "#/components/schemas/Error";

    private final byte[] body;

    private OpenApi(byte[] body) {
        this.body = body;
    }

    /** The document for this build, serialized once. */
    public static OpenApi create() {
        try {
            return new OpenApi(MAPPER.writeValueAsBytes(document(Version.get())));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the OpenAPI document does not serialize", e);
        }
    }

    /** {@code GET /openapi.json}. */
    public void serve(Context ctx) {
        ctx.status(200).contentType(JSON).result(body);
    }

    static ObjectNode document(String version) {
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
                        + "and `X-Content-Type-Options: nosniff`.");
        doc.putArray("security").addObject().putArray(BEARER);
        ArrayNode tags = doc.putArray("tags");
        tags.addObject().put("name", "greeting").put("description", "The FastAPI example's route");
        tags.addObject().put("name", "operations").put("description", "For platforms and operators");
        tags.addObject().put("name", "documentation").put("description", "This document and the page that renders it");

        ObjectNode paths = doc.putObject("paths");
        ObjectNode root = paths.putObject("/");
        ObjectNode get = operation(root, "get", "hello", "greeting", "The greeting", true);
        json(response(get, "200", "The caller's key is active"), "Hello");
        ObjectNode head = operation(root, "head", "helloHead", "greeting", "The greeting's headers, no body", true);
        response(head, "200", "The caller's key is active; the headers of GET, no body");

        ObjectNode health = operation(paths.putObject("/health"), "get", "health", "operations",
                "Whether the service should receive traffic", false);
        json(response(health, "200", "Up"), "Health").set("example", MAPPER.createObjectNode().put("status", "UP"));
        json(response(health, "503", "Shutdown has begun"), "Health")
                .set("example", MAPPER.createObjectNode().put("status", "DOWN"));

        ObjectNode metrics = operation(paths.putObject("/metrics"), "get", "metrics", "operations",
                "Prometheus metrics: requests, authentications, key reloads, active keys, JVM", true);
        response(metrics, "200", "Prometheus text exposition format 0.0.4").putObject("content")
                .putObject("text/plain").putObject("schema").put("type", "string");

        ObjectNode openApi = operation(paths.putObject(PATH), "get", "openApi", "documentation",
                "This document", false);
        response(openApi, "200", "The OpenAPI 3.1 document of every route").putObject("content")
                .putObject(JSON).putObject("schema").put("type", "object");

        ObjectNode page = operation(paths.putObject(SwaggerUi.PAGE), "get", "docs", "documentation",
                "Swagger UI, rendering this document", false);
        response(page, "200", "An HTML page").putObject("content")
                .putObject("text/html").putObject("schema").put("type", "string");

        ObjectNode asset = operation(paths.putObject(SwaggerUi.ASSET_ROUTE), "get", "docsAsset", "documentation",
                "A file of the Swagger UI page", false);
        ObjectNode parameter = asset.putArray("parameters").addObject()
                .put("name", "asset").put("in", "path").put("required", true);
        ArrayNode names = parameter.putObject("schema").put("type", "string").putArray("enum");
        new TreeSet<>(SwaggerUi.ASSETS.keySet()).forEach(names::add);
        ObjectNode assetContent = response(asset, "200", "The file; browsers may cache it for an hour")
                .putObject("content");
        new TreeSet<>(SwaggerUi.ASSETS.values()).forEach(type ->
                assetContent.putObject(type.replace("; charset=utf-8", "")).putObject("schema")
                        .put("type", "string"));
        ref(asset, "404", "NotFound");

        doc.set("components", components());
        return doc;
    }

    /** Adds an operation and, for a protected one, the refusals every protected route can answer. */
    private static ObjectNode operation(ObjectNode path, String method, String id, String tag, String summary,
                                        boolean protectedByKey) {
        ObjectNode op = path.putObject(method);
        op.put("operationId", id).put("summary", summary).putArray("tags").add(tag);
        ArrayNode security = op.putArray("security");
        if (protectedByKey) {
            security.addObject().putArray(BEARER);
        }
        op.putObject("responses");
        if (protectedByKey) {
            ref(op, "400", "MultipleAuthorization");
            ref(op, "401", "NotAuthenticated");
            ref(op, "403", "InvalidCredentials");
        }
        ref(op, "500", "InternalError");
        return op;
    }

    private static ObjectNode response(ObjectNode op, String status, String description) {
        return ((ObjectNode) op.get("responses")).putObject(status).put("description", description);
    }

    private static void ref(ObjectNode op, String status, String name) {
        ((ObjectNode) op.get("responses")).putObject(status).put("$ref", "#/components/responses/" + name);
    }

    /** Sets the JSON content of {@code response} to the schema {@code name}; returns the media type. */
    private static ObjectNode json(ObjectNode response, String name) {
        ObjectNode media = response.putObject("content").putObject(JSON);
        media.putObject("schema").put("$ref", "#/components/schemas/" + name);
        if (name.equals("Hello")) {
            media.putObject("example").put("message", "Hello, World!");
        }
        return media;
    }

    private static ObjectNode components() {
        ObjectNode components = MAPPER.createObjectNode();
        components.putObject("securitySchemes").putObject(BEARER)
                .put("type", "http")
                .put("scheme", "bearer")
                .put("description", "An API key, sent as `Authorization: Bearer <key>`. "
                        + "Create one with `java -jar api-key-auth.jar generate-key`.");

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
