package dev.breakwater.chain;

import dev.breakwater.resilience.Failure;

import java.util.List;

/**
 * The outcome of walking a chain. On success {@code answeredBy} and {@code response} are set; on
 * failure {@code failure} is the reason that ended the walk (the last model's failure, or the one
 * that stopped it, such as a content-policy refusal).
 */
public record FallbackResult<T>(boolean success, T response, ModelEndpoint answeredBy,
                                List<Attempt> attempts, Failure failure) {

    public FallbackResult {
        attempts = List.copyOf(attempts);
    }
}
