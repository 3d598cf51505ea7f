package dev.breakwater.openai;

import dev.breakwater.chain.FallbackResult;
import dev.breakwater.chain.ModelChain;
import dev.breakwater.providers.ModelReply;

/** A chat request's walk of its chain, with what the response headers report about it. */
record ChatOutcome(ModelChain chain, FallbackResult<ModelReply> result) {

    /** Calls that reached an upstream (retries included); models skipped without a call do not count. */
    long upstreamCalls() {
        return result.upstreamCalls();
    }

    /** Answered, but not by the first model asked for. */
    boolean degraded() {
        return result.answeredByFallback(chain);
    }
}
