package dev.breakwater.chain;

import dev.breakwater.config.Provider;
import dev.breakwater.providers.ChatUpstream;
import dev.breakwater.providers.EmbeddingsUpstream;
import dev.breakwater.providers.ModelClient;
import dev.breakwater.resilience.ResilientClient;

import java.util.Optional;

/**
 * A model as the chain sees it: its clients and its own breaker. {@code client} answers
 * categorization prompts, {@code chat} the OpenAI chat API (null for a model that does not chat,
 * the local one), {@code embeddings} the OpenAI embeddings API (null for a provider without one).
 * All are null when the model cannot be used (e.g. no API key); {@code unavailableReason} then says
 * why. {@code embeddingSpace} is set for models that embed (declared in the YAML, fixed for the
 * local model).
 */
public record ModelEndpoint(String name, Provider provider, String modelId, ModelClient client, ChatUpstream chat,
                            EmbeddingsUpstream embeddings, ResilientClient resilience, String unavailableReason,
                            Optional<String> embeddingSpace) {

    public ModelEndpoint(String name, Provider provider, String modelId, ModelClient client,
                         ResilientClient resilience, String unavailableReason) {
        this(name, provider, modelId, client, null, null, resilience, unavailableReason, provider.fixedEmbeddingSpace());
    }

    public boolean available() {
        return client != null;
    }

    /** Answers chat and categorization: every model but the embeddings-only ones (the local model does both). */
    public boolean chats() {
        return provider == Provider.LOCAL || embeddingSpace.isEmpty();
    }

    /** This endpoint for one try: its clients report every reply to {@code observer}. */
    ModelEndpoint observedBy(AttemptObserver.Try observer) {
        return new ModelEndpoint(name, provider, modelId, client == null ? null : new ObservedModelClient(client, observer),
                chat == null ? null : new ObservedChatUpstream(chat, observer), embeddings, resilience, unavailableReason,
                embeddingSpace);
    }

    ModelEndpoint withResilience(ResilientClient replacement) {
        return new ModelEndpoint(name, provider, modelId, client, chat, embeddings, replacement, unavailableReason, embeddingSpace);
    }
}
