package dev.breakwater.keys;

import java.util.Optional;

/**
 * A call refused for its key: 401 {@code invalid_api_key}, 403 {@code model_not_allowed}, 429
 * {@code rate_limit_exceeded} or {@code insufficient_quota}. The web layer turns it into an
 * OpenAI-shaped problem document with {@code Retry-After} when there is one.
 */
public class KeyRefusal extends RuntimeException {

    private final int status;
    private final String code;
    private final String param;
    private final Long retryAfterSeconds;

    public KeyRefusal(int status, String code, String param, String message, Long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.param = param;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static KeyRefusal invalidKey(String message) {
        return new KeyRefusal(401, "invalid_api_key", null, message, null);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String param() {
        return param;
    }

    public Optional<Long> retryAfterSeconds() {
        return Optional.ofNullable(retryAfterSeconds);
    }
}
