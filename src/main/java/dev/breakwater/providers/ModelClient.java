package dev.breakwater.providers;

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
}
