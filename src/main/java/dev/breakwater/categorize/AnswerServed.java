package dev.breakwater.categorize;

import dev.breakwater.chain.ModelChain;
import dev.breakwater.providers.TokenUsage;

import java.time.Duration;
import java.util.Map;

/**
 * Published once per answered request, for metrics: the answer, the chain it ran on, how long it
 * took and the tokens each model billed (failed and rejected tries included). Carries no request text.
 */
public record AnswerServed(String endpoint, ModelChain chain, Categorization answer, Duration latency,
                           Map<String, TokenUsage> tokens) {

    public AnswerServed {
        tokens = Map.copyOf(tokens);
    }

    /** A fresh cache hit: the one answer that never went near the chain. */
    public boolean cacheHit() {
        return answer.source() == Source.CACHE && !answer.degraded();
    }
}
