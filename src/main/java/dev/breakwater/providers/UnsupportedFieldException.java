package dev.breakwater.providers;

import dev.breakwater.resilience.ClassifiedException;
import dev.breakwater.resilience.Failure;
import dev.breakwater.resilience.FailureKind;

import java.util.Optional;

/**
 * The request holds a field that a model's provider cannot take, found while translating it and so
 * before any call. Dropping the field would change what the caller asked for without telling them
 * (a JSON mode that is not on, a seed that does nothing), so the model is skipped instead.
 */
public final class UnsupportedFieldException extends ClassifiedException {

    private final String field;

    /**
     * @param field  the JSON path of the field as the caller sent it, e.g. {@code seed} or {@code messages[2].content[0]}
     * @param reason why the provider cannot take it, phrased to follow the field name
     */
    public UnsupportedFieldException(String field, String reason) {
        super(new Failure(FailureKind.UNSUPPORTED_FIELD, 0, "field '" + field + "' " + reason, Optional.empty(),
                new Failure.UpstreamError("invalid_request_error", field, "unsupported_field")));
        this.field = field;
    }

    public String field() {
        return field;
    }
}
