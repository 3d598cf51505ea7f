package dev.breakwater.providers;

import dev.breakwater.resilience.ClassifiedException;
import dev.breakwater.resilience.Failure;
import dev.breakwater.resilience.FailureKind;

/**
 * One call to one model, with no retries of its own (the resilience layer owns retries). Failures
 * the adapter can read (status codes, provider error bodies) surface as
 * {@link dev.breakwater.resilience.ClassifiedException}; anything else propagates as is.
 */
public interface ModelClient {

    ModelReply chat(ChatPrompt prompt);

    /**
     * The same answer fetched as a stream, returned only once the stream has ended and proved
     * complete: callers never see part of an answer. Clients without a streaming transport answer
     * with {@link #chat}, which is indistinguishable to the caller since nothing is passed on early.
     */
    default ModelReply chatStreamed(ChatPrompt prompt) throws Exception {
        return chat(prompt);
    }

    /** Embeddings of the request's input. Routing only sends embeddings requests to models that declare an embedding space. */
    default EmbeddingReply embed(EmbeddingRequest request) {
        throw new ClassifiedException(Failure.of(FailureKind.MISCONFIGURED, "this model does not serve embeddings"));
    }
}
