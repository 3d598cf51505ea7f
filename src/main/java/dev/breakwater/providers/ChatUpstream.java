package dev.breakwater.providers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.providers.http.CallerContext;
import dev.breakwater.resilience.TryStages;

import java.util.concurrent.CompletableFuture;

/**
 * One chat call to one model endpoint, OpenAI's Chat Completions shape on both sides: an
 * OpenAI-compatible upstream gets the caller's JSON as it came, another provider translates it.
 * No retries of its own (the resilience layer owns them) and nothing reaches the caller from here:
 * a streamed answer is read to its end and validated before it is returned.
 * <p>
 * Failures: an upstream's HTTP error as a {@link dev.breakwater.resilience.ClassifiedException}
 * ({@link ProviderErrors#translate}); an incomplete or malformed stream likewise (TRANSIENT for a cut,
 * BAD_ANSWER for garbage); timeouts and interruptions as they come (the resilience layer reads them).
 */
@FunctionalInterface
public interface ChatUpstream {

    /**
     * @param request the caller's body without the gateway's own fields ({@code fallbacks}); its
     *                {@code model} is still the caller's and is replaced by the endpoint's own model
     *                id on the way out. Shared by every attempt of the request: never mutate it.
     * @param stream  fetch the answer as a stream (the caller asked for {@code "stream": true})
     */
    ChatAnswer call(ObjectNode request, boolean stream) throws Exception;

    /**
     * A whole (not streamed) answer as a try that holds no thread while it waits. By default the
     * blocking {@link #call}, made on a virtual thread of its own in the caller's context (its trace);
     * a pass-through upstream sends on the caller's event loop instead.
     */
    default CompletableFuture<ChatAnswer> start(ObjectNode request) {
        return TryStages.offload(CallerContext.carried(() -> call(request, false)));
    }

    /**
     * Refuses, before any call and before the model's breaker, a request this endpoint cannot send
     * faithfully: throws {@link UnsupportedFieldException} naming the field. Pass-through endpoints take everything.
     */
    default void admit(ObjectNode request) {
    }
}
