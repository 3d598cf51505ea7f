package dev.breakwater.chain;

import dev.breakwater.config.Provider;
import dev.breakwater.providers.ModelClient;
import dev.breakwater.resilience.ResilientClient;

/**
 * A model as the chain sees it: its client and its own breaker. {@code client} is null when the
 * model cannot be used (e.g. no API key); {@code unavailableReason} then says why.
 */
public record ModelEndpoint(String name, Provider provider, String modelId, ModelClient client,
                            ResilientClient resilience, String unavailableReason) {

    public boolean available() {
        return client != null;
    }

    /** This endpoint for one try: its client reports every reply to {@code observer}. */
    ModelEndpoint observedBy(AttemptObserver.Try observer) {
        return new ModelEndpoint(name, provider, modelId, new ObservedModelClient(client, observer), resilience,
                unavailableReason);
    }

    ModelEndpoint withResilience(ResilientClient replacement) {
        return new ModelEndpoint(name, provider, modelId, client, replacement, unavailableReason);
    }
}
