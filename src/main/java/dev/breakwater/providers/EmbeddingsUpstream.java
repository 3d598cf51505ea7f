package dev.breakwater.providers;

/**
 * One embeddings call to one model endpoint, OpenAI's embeddings shape on both sides. Like
 * {@link ChatUpstream}: no retries of its own, and failures an adapter can read surface as
 * {@link dev.breakwater.resilience.ClassifiedException}.
 */
@FunctionalInterface
public interface EmbeddingsUpstream {

    /** Embeddings of the request's input. Routing only sends embeddings requests to models that declare an embedding space. */
    EmbeddingReply embed(EmbeddingRequest request);
}
