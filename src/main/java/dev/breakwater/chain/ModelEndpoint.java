package dev.breakwater.chain;

import dev.breakwater.config.Provider;
import dev.breakwater.providers.ChatUpstream;
import dev.breakwater.providers.ModelClient;
import dev.breakwater.resilience.ResilientClient;

/**
 * A model as the chain sees it: its clients and its own breaker. {@code client} answers
 * categorization prompts, {@code chat} the OpenAI chat API (null for a model that does not chat,
 * the local one). Both are null when the model cannot be used (e.g. no API key);
 * {@code unavailableReason} then says why.
 */
public record ModelEndpoint(String name, Provider provider, String modelId, ModelClient client, ChatUpstream chat,
                            ResilientClient resilience, String unavailableReason) {

    public ModelEndpoint(String name, Provider provider, String modelId, ModelClient client,
                         ResilientClient resilience, String unavailableReason) {
        this(name, provider, modelId, client, null, resilience, unavailableReason);
    }

    public boolean available() {
        return client != null;
    }

    /** This endpoint for one try: its client reports every reply to {@code observer}. */
    ModelEndpoint observedBy(AttemptObserver.Try observer) {
        return new ModelEndpoint(name, provider, modelId, client == null ? null : new ObservedModelClient(client, observer),
                chat == null ? null : new ObservedChatUpstream(chat, observer), resilience, unavailableReason);
    }

    ModelEndpoint withResilience(ResilientClient replacement) {
        return new ModelEndpoint(name, provider, modelId, client, chat, replacement, unavailableReason);
    }
}
