package dev.breakwater.providers;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.breakwater.providers.http.UpstreamHttpException;
import dev.breakwater.resilience.ClassifiedException;
import dev.breakwater.resilience.Failure;
import dev.breakwater.resilience.FailureKind;
import dev.breakwater.secrets.Secrets;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads an upstream HTTP error the way OpenAI-compatible servers and Anthropic report them and says
 * what it means for the chain.
 */
public final class ProviderErrors {

    private static final Pattern SECRET = Pattern.compile("(?i)(sk-[a-z0-9_\\-]{6,}|bearer\\s+\\S+|api[_-]?key[\"'=: ]+\\S+)");
    private static final int MAX_MESSAGE = 500;

    private ProviderErrors() {
    }

    /** Finds an upstream HTTP error anywhere in {@code t}'s causes and classifies it; empty if there is none. */
    public static Optional<ClassifiedException> translate(ObjectMapper json, Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof UpstreamHttpException http) {
                return Optional.of(new ClassifiedException(classify(json, http.statusCode(), http.body(),
                        http.header("retry-after").orElse(null)), t));
            }
        }
        return Optional.empty();
    }

    /** {@code e} with an upstream HTTP error in its causes {@link #translate translated}; otherwise {@code e} itself. */
    public static RuntimeException translated(ObjectMapper json, RuntimeException e) {
        return translate(json, e).map(RuntimeException.class::cast).orElse(e);
    }

    public static Failure classify(ObjectMapper json, int status, String body, String retryAfterHeader) {
        ErrorBody error = ErrorBody.parse(json, body);
        String message = sanitize(error.message().isBlank() ? "HTTP " + status : error.message());
        String haystack = (error.code() + " " + error.type() + " " + error.message()).toLowerCase(Locale.ROOT);
        FailureKind kind;
        if (status == 429 || status == 408 || status == 409 || status >= 500) {
            kind = FailureKind.TRANSIENT;
        } else if (haystack.contains("context_length") || haystack.contains("context length")
                || haystack.contains("maximum context") || haystack.contains("prompt is too long")
                || haystack.contains("exceeds the maximum number of tokens") || haystack.contains("input is too long")) {
            kind = FailureKind.CONTEXT_LENGTH;
        } else if (haystack.contains("content_policy") || haystack.contains("content policy")
                || haystack.contains("content_filter") || haystack.contains("content filtering") || haystack.contains("usage policy")
                || haystack.contains("usage policies") || haystack.contains("safety system")) {
            kind = FailureKind.CONTENT_POLICY;
        } else if (isCallerError(status, error)) {
            kind = FailureKind.CALLER_ERROR;
        } else {
            kind = FailureKind.MISCONFIGURED;
        }
        return new Failure(kind, status, message, parseRetryAfter(retryAfterHeader, Instant.now()),
                new Failure.UpstreamError(blankToNull(error.type()), sanitizeOrNull(error.param()), sanitizeOrNull(error.code())));
    }

    /**
     * The upstream said the request itself is invalid ({@code invalid_request_error} with 400, 404 or
     * 422), and not because of the model the gateway asked for. A 404 needs care: OpenAI answers 404
     * {@code model_not_found} for an unknown model, and servers answer a wrong base URL with a bare
     * 404; both are this gateway's configuration (MISCONFIGURED, the chain moves on). Only a 404 whose
     * OpenAI error is about something else the caller referenced (a stored file or response id, say)
     * is the caller's. 401/403 are never the caller's: the key is ours.
     */
    private static boolean isCallerError(int status, ErrorBody error) {
        if ((status != 400 && status != 404 && status != 422) || !error.type().equals("invalid_request_error")) {
            return false;
        }
        String code = error.code().toLowerCase(Locale.ROOT);
        boolean aboutModel = code.contains("model_not_found") || error.param().equals("model")
                || (status == 404 && error.message().toLowerCase(Locale.ROOT).contains("model"));
        return !aboutModel;
    }

    private static String blankToNull(String s) {
        return s.isBlank() ? null : s;
    }

    private static String sanitizeOrNull(String s) {
        return s.isBlank() ? null : sanitize(s);
    }

    /** Retry-After is either delta-seconds or an HTTP date. */
    public static Optional<Duration> parseRetryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.trim();
        try {
            double seconds = Double.parseDouble(v);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofMillis((long) (seconds * 1000)));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(now, at);
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException unreadable) {
                return Optional.empty();
            }
        }
    }

    /** Provider messages sometimes echo the key or the auth header back: never pass those on. */
    public static String sanitize(String message) {
        String cleaned = SECRET.matcher(Secrets.redact(message)).replaceAll("[redacted]");
        return cleaned.length() > MAX_MESSAGE ? cleaned.substring(0, MAX_MESSAGE) + "…" : cleaned;
    }

    private record ErrorBody(String type, String code, String param, String message) {
        static ErrorBody parse(ObjectMapper json, String body) {
            if (body == null || body.isBlank()) {
                return new ErrorBody("", "", "", "");
            }
            try {
                // The mapper's refusal of trailing content is for request bodies: what follows the error does not hide it.
                JsonNode root = json.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(body);
                // Google's OpenAI-compatible endpoint wraps its error object in a one-element array.
                root = root.isArray() ? root.path(0) : root;
                JsonNode error = root.path("error");
                if (error.isTextual()) {
                    return new ErrorBody("", "", "", error.asText());
                }
                String message = error.path("message").asText(root.path("message").asText(""));
                return new ErrorBody(type(error, message), text(error.path("code")), text(error.path("param")), message);
            } catch (Exception notJson) {
                return new ErrorBody("", "", "", body.length() > 200 ? body.substring(0, 200) : body);
            }
        }

        /**
         * OpenAI's {@code type}; Google (Gemini) says {@code status} instead, whose INVALID_ARGUMENT is
         * OpenAI's invalid_request_error unless it is about the API key (the gateway's configuration).
         */
        private static String type(JsonNode error, String message) {
            String type = text(error.path("type"));
            boolean googleInvalid = type.isEmpty() && "INVALID_ARGUMENT".equals(error.path("status").asText())
                    && !message.toLowerCase(Locale.ROOT).contains("api key");
            return googleInvalid ? "invalid_request_error" : type;
        }

        /** A string or a number ({@code code} is either); "" for null or anything else. */
        private static String text(JsonNode node) {
            return node.isTextual() || node.isNumber() ? node.asText() : "";
        }
    }
}
