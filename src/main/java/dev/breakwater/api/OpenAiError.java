package dev.breakwater.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.breakwater.secrets.Secrets;

/**
 * OpenAI's error object, carried by every problem document next to its RFC 9457 fields: OpenAI
 * SDKs read {@code error.message} and show "400 (no body)" without it. {@code param} and
 * {@code code} are null when they do not apply, as in OpenAI's own answers.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record OpenAiError(String message, String type, String param, String code) {

    public OpenAiError {
        message = Secrets.redact(message);
    }

    /** OpenAI's {@code error.type} for an HTTP status. */
    public static String typeFor(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 429 -> "rate_limit_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    }
}
