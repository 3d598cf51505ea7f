package dev.breakwater.openai;

import dev.breakwater.chain.FallbackResult;
import dev.breakwater.chain.ModelChain;
import dev.breakwater.providers.TokenUsage;
import dev.breakwater.telemetry.RequestOutcome;

import java.util.Map;
import java.util.function.Function;

/** A request's walk of its chain (chat, embeddings), with what the response headers and the request log report about it. */
record ChainOutcome<T>(ModelChain chain, FallbackResult<T> result) {

    /** Calls that reached an upstream (retries included); models skipped without a call do not count. */
    long upstreamCalls() {
        return result.upstreamCalls();
    }

    /** Answered, but not by the first model asked for. */
    boolean degraded() {
        return result.answeredByFallback(chain);
    }

    /** The walk as the request log, the request metrics and {@code /status} report it; tokens as the answer counts them. */
    RequestOutcome traced(Function<T, TokenUsage> usage) {
        return RequestOutcome.of(chain, result,
                result.success() ? Map.of(result.answeredBy().name(), usage.apply(result.response())) : Map.of());
    }
}
