package dev.breakwater.api;

import dev.breakwater.secrets.Secrets;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ends a request with a problem+json answer. Thrown for caller mistakes and for refusals we must relay.
 * The document always carries an OpenAI {@code error} object too: its {@code param} is the
 * {@code field} extra and its {@code code} the {@code code} extra, unless {@link #error} sets one outright.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final Map<String, Object> extras = new LinkedHashMap<>();
    private OpenAiError error;

    public ProblemException(int status, String title, String detail) {
        super(Secrets.redact(detail), null, false, false);
        this.status = status;
        this.title = title;
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(400, "Bad request", detail);
    }

    public ProblemException with(String key, Object value) {
        extras.put(key, value);
        return this;
    }

    /** Sets the OpenAI error object outright, e.g. to relay an upstream's own {@code type}, {@code param} and {@code code}. */
    public ProblemException error(OpenAiError error) {
        this.error = error;
        return this;
    }

    public Problem toProblem() {
        Map<String, Object> all = new LinkedHashMap<>(extras);
        all.put("error", error != null ? error : new OpenAiError(getMessage(), OpenAiError.typeFor(status),
                stringOrNull(extras.get("field")), stringOrNull(extras.get("code"))));
        return new Problem("about:blank", title, status, getMessage(), all);
    }

    private static String stringOrNull(Object value) {
        return value == null ? null : value.toString();
    }

    public int status() {
        return status;
    }
}
