package dev.breakwater.chain;

import dev.breakwater.secrets.Secrets;
import com.fasterxml.jackson.annotation.JsonInclude;

/** One try of one model within a request. Retries of the same model are separate attempts. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Attempt(String model, String provider, AttemptOutcome outcome, long latencyMs,
                      Integer httpStatus, String reason) {

    public Attempt {
        reason = Secrets.redact(reason);
    }
}
