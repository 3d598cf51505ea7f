package dev.breakwater.openai;

import dev.breakwater.api.ProblemException;
import dev.breakwater.chain.FallbackManager;
import dev.breakwater.chain.FallbackResult;
import dev.breakwater.chain.ModelChain;
import dev.breakwater.chain.ModelRouter;
import dev.breakwater.chain.UnroutableModelException;
import dev.breakwater.config.GatewayConfig;
import dev.breakwater.keys.KeyCall;
import dev.breakwater.keys.KeyGuard;
import dev.breakwater.keys.KeyUsage;
import dev.breakwater.providers.ChatPrompt;
import dev.breakwater.providers.ModelReply;
import dev.breakwater.resilience.Deadline;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.stream.Stream;

/**
 * A chat completion through the same {@link FallbackManager}, breakers, retries and deadline as
 * categorization. A streamed request fetches each model's answer as a stream but only returns it
 * once it is complete: a model that fails mid-stream is just a failed attempt, and the next model
 * starts the request afresh (never with the partial answer as a prefill).
 */
@Singleton
public class ChatCompletionService {

    private final ModelRouter router;
    private final FallbackManager fallback;
    private final GatewayConfig config;
    private final KeyGuard keys;
    private final KeyUsage usage;

    public ChatCompletionService(ModelRouter router, FallbackManager fallback, GatewayConfig config, KeyGuard keys,
                                 KeyUsage usage) {
        this.router = router;
        this.fallback = fallback;
        this.config = config;
        this.keys = keys;
        this.usage = usage;
    }

    ChatOutcome complete(ChatCompletionRequest request, KeyCall call) {
        ChatPrompt prompt = ChatRequests.toPrompt(request);
        List<String> fallbacks = request.fallbacks() == null ? List.of() : request.fallbacks();
        keys.admit(call, Stream.concat(Stream.of(request.model()), fallbacks.stream()).toList());
        ModelChain chain;
        try {
            chain = router.resolve(request.model(), fallbacks);
        } catch (UnroutableModelException e) {
            throw ProblemException.badRequest(e.getMessage()).with("available", e.available());
        }
        boolean stream = request.streaming();
        FallbackResult<ModelReply> result = Deadline.in(config.requestDeadline()).run(() ->
                fallback.executeWithFallback(chain,
                        model -> stream ? model.client().chatStreamed(prompt) : model.client().chat(prompt),
                        ChatAnswerCheck.INSTANCE, chain.minQuality()));
        if (result.success()) {
            usage.record(call, result.answeredBy().name(), result.response().usage());
        }
        return new ChatOutcome(chain, result);
    }

    List<String> modelIds() {
        return router.chatModelIds();
    }
}
