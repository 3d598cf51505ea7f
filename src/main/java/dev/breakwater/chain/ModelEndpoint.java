package dev.breakwater.chain;

import dev.breakwater.config.Provider;
import dev.breakwater.providers.ChatUpstream;
import dev.breakwater.providers.ModelClient;
import dev.breakwater.resilience.ResilientClient;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A model as the chain sees it. Either one endpoint: its clients and its own breaker ({@code client}
 * answers categorization prompts, {@code chat} the OpenAI chat API, null for a model that does not chat,
 * the local one; both null when the model cannot be used, e.g. no API key, and {@code unavailableReason}
 * says why). Or a model served by several {@code deployments}: then each deployment is such an endpoint,
 * named like the model, told apart by {@code deployment} (its breaker's service name), picked by
 * {@code weight}; the group itself has no client and no breaker.
 */
public record ModelEndpoint(String name, Provider provider, String modelId, ModelClient client, ChatUpstream chat,
                            ResilientClient resilience, String unavailableReason, String deployment, int weight,
                            List<ModelEndpoint> deployments) {

    public ModelEndpoint {
        deployments = List.copyOf(deployments);
    }

    public ModelEndpoint(String name, Provider provider, String modelId, ModelClient client, ChatUpstream chat,
                         ResilientClient resilience, String unavailableReason) {
        this(name, provider, modelId, client, chat, resilience, unavailableReason, null, 1, List.of());
    }

    public ModelEndpoint(String name, Provider provider, String modelId, ModelClient client,
                         ResilientClient resilience, String unavailableReason) {
        this(name, provider, modelId, client, null, resilience, unavailableReason);
    }

    /** A model served by {@code deployments} (at least one); its provider and id are the first deployment's. */
    public static ModelEndpoint group(String name, List<ModelEndpoint> deployments) {
        ModelEndpoint first = deployments.get(0);
        String reason = deployments.stream().allMatch(d -> d.unavailableReason() != null)
                ? deployments.stream().map(d -> d.deployment() + ": " + d.unavailableReason()).collect(Collectors.joining("; "))
                : null;
        return new ModelEndpoint(name, first.provider(), first.modelId(), null, null, null, reason, null, 0, deployments);
    }

    public boolean available() {
        return deployments.isEmpty() ? client != null : deployments.stream().anyMatch(ModelEndpoint::available);
    }

    /** What can be called: the deployments of a group, else this endpoint itself. */
    public List<ModelEndpoint> endpoints() {
        return deployments.isEmpty() ? List.of(this) : deployments;
    }

    /** The name of this endpoint's breaker: the deployment's, else the model's. */
    public String service() {
        return deployment != null ? deployment : name;
    }

    /** This endpoint, or the deployment of this group, whose breaker serves {@code replacement}'s service, rebound to it. */
    ModelEndpoint rebind(ResilientClient replacement) {
        if (!deployments.isEmpty()) {
            return new ModelEndpoint(name, provider, modelId, client, chat, resilience, unavailableReason, deployment, weight,
                    deployments.stream().map(d -> d.rebind(replacement)).toList());
        }
        return service().equals(replacement.service())
                ? new ModelEndpoint(name, provider, modelId, client, chat, replacement, unavailableReason, deployment, weight, deployments)
                : this;
    }
}
