package dev.breakwater.api;

import java.util.LinkedHashMap;
import java.util.Map;

/** Ends a request with a problem+json answer. Thrown for caller mistakes and for refusals we must relay. */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final Map<String, Object> extras = new LinkedHashMap<>();

    public ProblemException(int status, String title, String detail) {
        super(detail, null, false, false);
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

    public Problem toProblem() {
        return new Problem("about:blank", title, status, getMessage(), extras.isEmpty() ? null : Map.copyOf(extras));
    }

    public int status() {
        return status;
    }
}
