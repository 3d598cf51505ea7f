package dev.breakwater.openai;

import dev.breakwater.chain.Attempt;
import dev.breakwater.chain.AttemptOutcome;
import dev.breakwater.chain.FallbackResult;
import dev.breakwater.chain.ModelChain;
import dev.breakwater.providers.ChatAnswer;

/** A chat request's walk of its chain, with what the response headers report about it. */
record ChatOutcome(ModelChain chain, FallbackResult<ChatAnswer> result) {

    /** Calls that reached an upstream (retries included); models skipped without a call do not count. */
    long upstreamCalls() {
        return result.attempts().stream().filter(ChatOutcome::calledUpstream).count();
    }

    /** Answered, but not by the first model asked for. */
    boolean degraded() {
        return result.success() && !result.answeredBy().name().equals(chain.models().get(0).name());
    }

    private static boolean calledUpstream(Attempt a) {
        return a.outcome() != AttemptOutcome.SKIPPED_OPEN_CIRCUIT && a.outcome() != AttemptOutcome.SKIPPED_NOT_CONFIGURED
                && a.outcome() != AttemptOutcome.DEADLINE_EXCEEDED && a.outcome() != AttemptOutcome.UNSUPPORTED_FIELD;
    }
}
