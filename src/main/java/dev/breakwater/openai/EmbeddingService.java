package dev.breakwater.openai;

import com.fasterxml.jackson.databind.JsonNode;
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
import dev.breakwater.resilience.ClassifiedException;
import dev.breakwater.resilience.Deadline;
import dev.breakwater.resilience.Failure;
import dev.breakwater.resilience.FailureKind;
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

    /**
     * Checks the request named {@code model} (see {@link EmbeddingRequests#model}) and finds its chain:
     * every caller mistake surfaces here, before any upstream call.
     */
    EmbeddingCall prepare(String model, JsonNode body) {
        List<String> fallbacks = EmbeddingRequests.fallbacks(body, config.openai().maxFallbacks());
        EmbeddingRequest request = EmbeddingRequests.toRequest(body);
        ModelChain chain;
        try {
            chain = router.resolve(model, fallbacks);
        } catch (UnroutableModelException e) {
            throw GatewayFields.unroutable(e);
        } catch (MixedEmbeddingSpacesException e) {
            throw ProblemException.badRequest(e.getMessage()).with("field", "fallbacks").with("embedding_spaces", e.spaces());
        }
        refuseWhatTheLocalModelCannotDo(chain, request);
        return new EmbeddingCall(request, chain, Deadline.in(config.requestDeadline()));
    }

    /** Walks the chain; blocks on upstream calls, so never from an event loop. */
    ChainOutcome<EmbeddingReply> embed(EmbeddingCall call) {
        EmbeddingRequest request = call.request();
        QualityCheck<EmbeddingReply> oneVectorPerInput = (reply, minQuality) -> reply.vectors() == request.inputs()
                ? QualityVerdict.accept()
                : QualityVerdict.reject(reply.vectors() < 0 ? "the answer is not an embeddings list"
                        : "the answer holds " + reply.vectors() + " vectors for " + request.inputs() + " inputs");
        FallbackResult<EmbeddingReply> result = call.deadline().run(() ->
                fallback.executeWithFallback(call.chain(), endpoint -> embed(endpoint, request), oneVectorPerInput,
                        call.chain().minQuality()));
        return new ChainOutcome<>(call.chain(), result);
    }

    private static EmbeddingReply embed(ModelEndpoint model, EmbeddingRequest request) {
        if (model.embeddings() == null) {
            throw new ClassifiedException(Failure.of(FailureKind.MISCONFIGURED, model.name() + " does not serve embeddings"));
        }
        return model.embeddings().embed(request);
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

    /** A checked request, its chain and its deadline, which the caller cancels when it hangs up. */
    record EmbeddingCall(EmbeddingRequest request, ModelChain chain, Deadline deadline) {
    }
}
