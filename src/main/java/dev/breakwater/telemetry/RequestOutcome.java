package dev.breakwater.telemetry;

import dev.breakwater.chain.Attempt;
import dev.breakwater.chain.FallbackResult;
import dev.breakwater.chain.ModelChain;
import dev.breakwater.providers.TokenUsage;

import java.util.List;
import java.util.Map;

/**
 * What a request's walk of its chain came to, as the request log, the request metrics and
 * {@code /status} report it. {@code source} is {@code llm}, {@code local}, {@code cache},
 * {@code default}, or {@code none} when nothing answered; {@code modelAnswered} is null then.
 * {@code tokens} are by model, failed tries included where the provider reported them.
 */
public record RequestOutcome(String modelAnswered, String source, boolean degraded, List<Attempt> attempts,
                             Map<String, TokenUsage> tokens) {

    public static final String NO_ANSWER = "none";

    public RequestOutcome {
        attempts = List.copyOf(attempts);
        tokens = Map.copyOf(tokens);
    }

    /** A chat or embeddings walk: degraded when answered by another model than the first, or not at all. */
    public static RequestOutcome of(ModelChain chain, FallbackResult<?> result, Map<String, TokenUsage> tokens) {
        if (!result.success()) {
            return new RequestOutcome(null, NO_ANSWER, true, result.attempts(), tokens);
        }
        return new RequestOutcome(result.answeredBy().name(), result.answeredBy().provider().isCloud() ? "llm" : "local",
                result.answeredByFallback(chain), result.attempts(), tokens);
    }
}
