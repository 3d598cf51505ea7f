package dev.breakwater.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.breakwater.api.InvalidJson;
import dev.breakwater.api.ProblemException;
import dev.breakwater.chain.FallbackManager;
import dev.breakwater.chain.FallbackResult;
import dev.breakwater.chain.ModelCall;
import dev.breakwater.chain.ModelChain;
import dev.breakwater.chain.ModelEndpoint;
import dev.breakwater.chain.ModelRouter;
import dev.breakwater.chain.UnroutableModelException;
import dev.breakwater.config.GatewayConfig;
import dev.breakwater.keys.KeyCall;
import dev.breakwater.keys.KeyGuard;
import dev.breakwater.keys.KeyUsage;
import dev.breakwater.providers.ChatAnswer;
import dev.breakwater.resilience.ClassifiedException;
import dev.breakwater.resilience.Deadline;
import dev.breakwater.resilience.Failure;
import dev.breakwater.resilience.FailureKind;
import io.quarkus.virtual.threads.VirtualThreads;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;

/**
 * A chat completion through the same {@link FallbackManager}, breakers, retries and deadline as
 * categorization. Each model gets the caller's request as it came (its own model id aside). A
 * streamed request fetches each model's answer as a stream but only returns it once it is complete:
 * a model that fails mid-stream is just a failed attempt, and the next model starts the request
 * afresh (never with the partial answer as a prefill).
 */
@Singleton
public class ChatCompletionService {

    private final ModelRouter router;
    private final FallbackManager fallback;
    private final GatewayConfig config;
    private final ObjectMapper json;
    private final KeyGuard keys;
    private final KeyUsage usage;
    private final ExecutorService virtualThreads;

    public ChatCompletionService(ModelRouter router, FallbackManager fallback, GatewayConfig config, ObjectMapper json,
                                 KeyGuard keys, KeyUsage usage, @VirtualThreads ExecutorService virtualThreads) {
        this.router = router;
        this.fallback = fallback;
        this.config = config;
        this.json = json;
        this.keys = keys;
        this.usage = usage;
        this.virtualThreads = virtualThreads;
    }

    /** Parses and checks a request body: every caller mistake in it surfaces here, before any upstream call. */
    ChatRequest parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw ProblemException.badRequest("request body is missing: send {\"model\": \"...\", \"messages\": [...]}");
        }
        JsonNode tree;
        try {
            tree = json.readTree(body);
        } catch (IOException e) {
            throw InvalidJson.problem(e);
        }
        return ChatRequest.of(tree, config.openai().maxFallbacks());
    }

    /** Finds the chain of a checked request: a model nobody can answer for is refused here, before any upstream call. */
    ChatCall prepare(ChatRequest request, KeyCall key) {
        try {
            return new ChatCall(key.key().isPresent() ? request.countingUsage() : request,
                    router.resolve(request.model(), request.fallbacks()), Deadline.in(config.requestDeadline()), key);
        } catch (UnroutableModelException e) {
            throw GatewayFields.unroutable(e);
        }
    }

    /**
     * Checks the caller's key for every model the request names, fallbacks included, before any upstream
     * call; on the event loop (see {@link KeyGuard#admit}).
     */
    private Uni<Void> admit(ChatCall call) {
        ChatRequest request = call.request();
        return keys.admit(call.key(), request.model(), request.fallbacks());
    }

    /**
     * Admits the call's key, then walks its chain. A whole answer is fetched without holding a thread: the
     * walk runs on the event loop, each try sent from it and read where its answer arrives. A streamed answer
     * is read by a blocking parser, so its walk runs on a virtual thread. The outcome comes on whichever
     * thread finished the walk; recording a key's usage (a Redis write) moves to a virtual thread first.
     */
    Uni<ChainOutcome<ChatAnswer>> complete(ChatCall call) {
        Uni<Void> admitted = admit(call);
        if (call.request().stream()) {
            return admitted.emitOn(virtualThreads).map(ignored -> finish(call, call.deadline().run(() -> walkBlocking(call))));
        }
        Uni<FallbackResult<ChatAnswer>> walked = admitted.chain(ignored -> Uni.createFrom().completionStage(walk(call)));
        return (call.key().key().isPresent() ? walked.emitOn(virtualThreads) : walked).map(result -> finish(call, result));
    }

    private FallbackResult<ChatAnswer> walkBlocking(ChatCall call) {
        ChatRequest request = call.request();
        return fallback.executeWithFallback(call.chain(), ModelCall.admitting(model -> admit(model, request), model -> chat(model, request)),
                ChatAnswerCheck.INSTANCE, call.chain().minQuality());
    }

    private CompletionStage<FallbackResult<ChatAnswer>> walk(ChatCall call) {
        ChatRequest request = call.request();
        return fallback.walk(call.chain(), ModelCall.starting(model -> admit(model, request), model -> start(model, request)),
                ChatAnswerCheck.INSTANCE, call.chain().minQuality(), call.deadline());
    }

    /** Records what the answer cost against the caller's key. */
    private ChainOutcome<ChatAnswer> finish(ChatCall call, FallbackResult<ChatAnswer> result) {
        if (result.success()) {
            usage.record(call.key(), result.answeredBy().name(), result.response().usage());
        }
        return new ChainOutcome<>(call.chain(), result);
    }

    /** A model whose provider cannot take a field of the request is skipped before its breaker (see {@link ModelCall#admit}). */
    private static void admit(ModelEndpoint model, ChatRequest request) {
        if (model.chat() != null) {
            model.chat().admit(request.body());
        }
    }

    private static CompletableFuture<ChatAnswer> start(ModelEndpoint model, ChatRequest request) {
        if (model.chat() == null) {
            return CompletableFuture.failedFuture(notChat(model));
        }
        return model.chat().start(request.body());
    }

    private static ChatAnswer chat(ModelEndpoint model, ChatRequest request) throws Exception {
        if (model.chat() == null) {
            throw notChat(model);
        }
        return model.chat().call(request.body(), request.stream());
    }

    private static ClassifiedException notChat(ModelEndpoint model) {
        return new ClassifiedException(Failure.of(FailureKind.MISCONFIGURED, model.name() + " does not answer chat requests"));
    }

    List<String> modelIds() {
        return router.chatModelIds();
    }

    /** True when a chat request naming {@code id} would be answered: a listed id or one a route forwards. */
    boolean knows(String id) {
        return router.chatModelIds().contains(id) || router.routes(id);
    }

    /** A checked request, its chain and its deadline, which the caller cancels when it hangs up. */
    record ChatCall(ChatRequest request, ModelChain chain, Deadline deadline, KeyCall key) {
    }
}
