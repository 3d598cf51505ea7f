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
import dev.breakwater.keys.KeyCall;
import dev.breakwater.keys.KeyGuard;
import dev.breakwater.keys.KeyUsage;
import dev.breakwater.providers.EmbeddingReply;
import dev.breakwater.providers.EmbeddingRequest;
import dev.breakwater.providers.local.LocalEmbedder;
import dev.breakwater.resilience.ClassifiedException;
import dev.breakwater.resilience.Deadline;
import dev.breakwater.resilience.Failure;
import dev.breakwater.resilience.FailureKind;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * Embeddings through the same {@link FallbackManager}, breakers, retries and deadline as chat. The
 * chain comes from {@link EmbeddingRouter}, so every model of it embeds into one vector space. An
 * answer must hold one vector per input, or the next model is tried. A caller key is checked, limited and
 * charged as for chat: the models it may use, its rpm, tpm and budget, the answer's prompt tokens.
 */
@Singleton
public class EmbeddingService {

    private final EmbeddingRouter router;
    private final FallbackManager fallback;
    private final GatewayConfig config;
    private final KeyGuard keys;
    private final KeyUsage usage;

    public EmbeddingService(EmbeddingRouter router, FallbackManager fallback, GatewayConfig config, KeyGuard keys,
                            KeyUsage usage) {
        this.router = router;
        this.fallback = fallback;
        this.config = config;
        this.keys = keys;
        this.usage = usage;
    }

    /**
     * Checks the request named {@code model} (see {@link EmbeddingRequests#model}) and finds its chain:
     * every caller mistake surfaces here, before any upstream call.
     */
    EmbeddingCall prepare(String model, JsonNode body, KeyCall key) {
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
        return new EmbeddingCall(request, model, fallbacks, chain, Deadline.in(config.requestDeadline()), key);
    }

    /**
     * Checks the caller's key for every model the request names, fallbacks included, before any upstream
     * call; on the event loop (see {@link KeyGuard#admit}).
     */
    Uni<Void> admit(EmbeddingCall call) {
        return keys.admit(call.key(), call.model(), call.fallbacks());
    }

    /** Walks the chain of an {@link #admit admitted} call; blocks on upstream calls, so never from an event loop. */
    ChainOutcome<EmbeddingReply> embed(EmbeddingCall call) {
        EmbeddingRequest request = call.request();
        QualityCheck<EmbeddingReply> oneVectorPerInput = (reply, minQuality) -> reply.vectors() == request.inputs()
                ? QualityVerdict.accept()
                : QualityVerdict.reject(reply.vectors() < 0 ? "the answer is not an embeddings list"
                        : "the answer holds " + reply.vectors() + " vectors for " + request.inputs() + " inputs");
        FallbackResult<EmbeddingReply> result = call.deadline().run(() ->
                fallback.executeWithFallback(call.chain(), endpoint -> embed(endpoint, request), oneVectorPerInput,
                        call.chain().minQuality()));
        if (result.success()) {
            usage.record(call.key(), result.answeredBy().name(), result.response().usage());
        }
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

    /**
     * A checked request, the names it asked for, its chain, its deadline (which the caller cancels when it
     * hangs up) and its caller.
     */
    record EmbeddingCall(EmbeddingRequest request, String model, List<String> fallbacks, ModelChain chain, Deadline deadline,
                         KeyCall key) {
    }
}
