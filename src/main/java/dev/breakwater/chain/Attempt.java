package dev.breakwater.chain;

import dev.breakwater.secrets.Secrets;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One try of one model within a request. Retries of the same model are separate attempts.
 * {@code deployment} names which of the model's deployments was tried (null for a single-endpoint model).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Attempt(String model, String provider, AttemptOutcome outcome, long latencyMs,
                      Integer httpStatus, String reason, String deployment) {

    public Attempt {
        reason = Secrets.redact(reason);
    }

    public Attempt(String model, String provider, AttemptOutcome outcome, long latencyMs, Integer httpStatus, String reason) {
        this(model, provider, outcome, latencyMs, httpStatus, reason, null);
    }
}
