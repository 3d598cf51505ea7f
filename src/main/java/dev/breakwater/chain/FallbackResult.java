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

    /** Calls that reached an upstream (retries included); models skipped without a call do not count. */
    public long upstreamCalls() {
        long calls = 0;
        for (Attempt attempt : attempts) {
            calls += calledUpstream(attempt) ? 1 : 0;
        }
        return calls;
    }

    /** Answered, but not by the first model of {@code chain}. */
    public boolean answeredByFallback(ModelChain chain) {
        return success && !answeredBy.name().equals(chain.models().get(0).name());
    }

    private static boolean calledUpstream(Attempt a) {
        return a.outcome() != AttemptOutcome.SKIPPED_OPEN_CIRCUIT && a.outcome() != AttemptOutcome.SKIPPED_NOT_CONFIGURED
                && a.outcome() != AttemptOutcome.DEADLINE_EXCEEDED && a.outcome() != AttemptOutcome.UNSUPPORTED_FIELD;
    }
}
