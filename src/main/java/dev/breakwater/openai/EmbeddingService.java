package dev.breakwater.openai;

import dev.breakwater.api.ProblemException;
import dev.breakwater.chain.EmbeddingRouter;
import dev.breakwater.chain.FallbackManager;
import dev.breakwater.chain.FallbackResult;
import dev.breakwater.chain.MixedEmbeddingSpacesException;
import dev.breakwater.chain.ModelChain;
import dev.breakwater.chain.ModelEndpoint;
import dev.breakwater.chain.QualityCheck;
import dev.breakwater.chain.QualityVerdict;
import dev.breakwater.chain.UnroutableModelException;
import dev.breakwater.config.GatewayConfig;
import dev.breakwater.config.Provider;
import dev.breakwater.providers.EmbeddingReply;
import dev.breakwater.providers.EmbeddingRequest;
import dev.breakwater.providers.local.LocalEmbedder;
import dev.breakwater.resilience.Deadline;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * Embeddings through the same {@link FallbackManager}, breakers, retries and deadline as chat. The
 * chain comes from {@link EmbeddingRouter}, so every model of it embeds into one vector space. An
 * answer must hold one vector per input, or the next model is tried.
 */
@Singleton
public class EmbeddingService {

    private final EmbeddingRouter router;
    private final FallbackManager fallback;
    private final GatewayConfig config;

    public EmbeddingService(EmbeddingRouter router, FallbackManager fallback, GatewayConfig config) {
        this.router = router;
        this.fallback = fallback;
        this.config = config;
    }

    record Outcome(ModelChain chain, FallbackResult<EmbeddingReply> result) {
    }

    Outcome embed(String model, List<String> fallbacks, EmbeddingRequest request) {
        ModelChain chain;
        try {
            chain = router.resolve(model, fallbacks);
        } catch (UnroutableModelException e) {
            throw ProblemException.badRequest(e.getMessage()).with("field", "model").with("available", e.available());
        } catch (MixedEmbeddingSpacesException e) {
            throw ProblemException.badRequest(e.getMessage()).with("field", "fallbacks").with("embedding_spaces", e.spaces());
        }
        refuseWhatTheLocalModelCannotDo(chain, request);
        QualityCheck<EmbeddingReply> oneVectorPerInput = (reply, minQuality) -> reply.vectors() == request.inputs()
                ? QualityVerdict.accept()
                : QualityVerdict.reject(reply.vectors() < 0 ? "the answer is not an embeddings list"
                        : "the answer holds " + reply.vectors() + " vectors for " + request.inputs() + " inputs");
        FallbackResult<EmbeddingReply> result = Deadline.in(config.requestDeadline()).run(() ->
                fallback.executeWithFallback(chain, endpoint -> endpoint.client().embed(request), oneVectorPerInput,
                        chain.minQuality()));
        return new Outcome(chain, result);
    }

    /**
     * Token ids, blank texts or other dimensions are the caller's request, not a failure of the local
     * model: refused before any call rather than counted against its breaker.
     */
    private static void refuseWhatTheLocalModelCannotDo(ModelChain chain, EmbeddingRequest request) {
        if (chain.models().stream().map(ModelEndpoint::provider).anyMatch(p -> p == Provider.LOCAL)) {
            LocalEmbedder.unsupported(request).ifPresent(why -> {
                String field = why.substring(0, why.indexOf(':'));
                throw ProblemException.badRequest("chain '" + chain.name() + "' includes the local model, which cannot take this "
                        + why).with("field", field);
            });
        }
    }
}
