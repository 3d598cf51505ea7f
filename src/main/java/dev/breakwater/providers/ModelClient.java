package dev.breakwater.providers;

/**
 * One categorization call to one model, with no retries of its own (the resilience layer owns
 * retries). Failures the adapter can read (status codes, provider error bodies) surface as
 * {@link dev.breakwater.resilience.ClassifiedException}; anything else propagates as is. Chat
 * requests go through {@link ChatUpstream} instead, which keeps every field.
 */
public interface ModelClient {

    ModelReply chat(ChatPrompt prompt);
}
