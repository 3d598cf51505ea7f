package dev.breakwater.openai;

import dev.breakwater.api.ProblemException;
import dev.breakwater.chain.FallbackManager;
import dev.breakwater.chain.FallbackResult;
import dev.breakwater.chain.ModelChain;
import dev.breakwater.chain.ModelRouter;
import dev.breakwater.chain.UnroutableModelException;
import dev.breakwater.config.GatewayConfig;
import dev.breakwater.providers.ChatPrompt;
import dev.breakwater.providers.ModelReply;
import dev.breakwater.resilience.Deadline;
import jakarta.inject.Singleton;

import java.util.List;

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

    public ChatCompletionService(ModelRouter router, FallbackManager fallback, GatewayConfig config) {
        this.router = router;
        this.fallback = fallback;
        this.config = config;
    }

    ChatOutcome complete(ChatCompletionRequest request) {
        ChatPrompt prompt = ChatRequests.toPrompt(request);
        ModelChain chain;
        try {
            chain = router.resolve(request.model(), request.fallbacks() == null ? List.of() : request.fallbacks());
        } catch (UnroutableModelException e) {
            throw ProblemException.badRequest(e.getMessage()).with("available", e.available());
        }
        boolean stream = request.streaming();
        FallbackResult<ModelReply> result = Deadline.in(config.requestDeadline()).run(() ->
                fallback.executeWithFallback(chain,
                        model -> stream ? model.client().chatStreamed(prompt) : model.client().chat(prompt),
                        ChatAnswerCheck.INSTANCE, chain.minQuality()));
        return new ChatOutcome(chain, result);
    }

    List<String> modelIds() {
        return router.chatModelIds();
    }
}
