package dev.apikeyauth.docs;

import java.util.List;
import java.util.Objects;

/**
 * What the OpenAPI document says of one route: its id, tag, summary, its own answers and, for a
 * path with a parameter, the values the parameter may take. The answers every route shares (500,
 * and the refusals of a route that needs a key) are added by {@link OpenApi}.
 *
 * @param id      the operation id
 * @param tag     one of {@link OpenApi}'s tags
 * @param summary one line
 * @param answers the route's own answers
 * @param param   the path parameter's name, or {@code null}
 * @param values  the values the parameter may take (empty without a parameter)
 */
public record Doc(String id, String tag, String summary, List<Answer> answers, String param, List<String> values) {

    public Doc {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(summary, "summary");
        answers = List.copyOf(answers);
        values = List.copyOf(values);
    }

    /** A route without a path parameter. */
    public static Doc of(String id, String tag, String summary, Answer... answers) {
        return new Doc(id, tag, summary, List.of(answers), null, List.of());
    }

    /** The same route, with a path parameter that takes one of {@code values}. */
    public Doc withParam(String name, List<String> allowed) {
        return new Doc(id, tag, summary, answers, name, allowed);
    }

    /**
     * One documented answer.
     *
     * @param status      the HTTP status
     * @param description one line
     * @param mediaTypes  the body's media types (empty for no body)
     * @param schema      a schema of {@code components} ({@code Hello}, {@code Health}) or a JSON type
     *                    ({@code string}, {@code object}); {@code null} without a body
     * @param example     a JSON example of the body, or {@code null}
     * @param reference   the name of a shared response under {@code components/responses}, which
     *                    replaces everything above; or {@code null}
     */
    public record Answer(int status, String description, List<String> mediaTypes, String schema, String example,
                         String reference) {

        public Answer {
            mediaTypes = List.copyOf(mediaTypes);
        }

        /** A JSON body of a schema in {@code components}. */
        public static Answer json(int status, String description, String schema) {
            return new Answer(status, description, List.of(OpenApi.JSON), schema, null, null);
        }

        /** A body of a plain JSON type in each of {@code mediaTypes}. */
        public static Answer body(int status, String description, String type, String... mediaTypes) {
            return new Answer(status, description, List.of(mediaTypes), type, null, null);
        }

        /** Headers only. */
        public static Answer empty(int status, String description) {
            return new Answer(status, description, List.of(), null, null, null);
        }

        /** One of the shared responses of {@code components/responses}. */
        public static Answer shared(int status, String name) {
            return new Answer(status, null, List.of(), null, null, name);
        }

        /** The same answer with a JSON example. */
        public Answer example(String json) {
            return new Answer(status, description, mediaTypes, schema, json, reference);
        }
    }
}
