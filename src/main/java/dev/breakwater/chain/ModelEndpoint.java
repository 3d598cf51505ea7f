package dev.breakwater.chain;

import dev.breakwater.config.Provider;
import dev.breakwater.providers.ChatUpstream;
import dev.breakwater.providers.EmbeddingsUpstream;
import dev.breakwater.providers.ModelClient;
import dev.breakwater.resilience.ResilientClient;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A model as the chain sees it. Either one endpoint: its clients and its own breaker ({@code client}
 * answers categorization prompts, {@code chat} the OpenAI chat API, null for a model that does not chat,
 * the local one; {@code embeddings} the OpenAI embeddings API, null for a provider without one; all null
 * when the model cannot be used, e.g. no API key, and {@code unavailableReason} says why). Or a model
 * served by several {@code deployments}: then each deployment is such an endpoint, named like the model,
 * told apart by {@code deployment} (its breaker's service name), picked by {@code weight}; the group itself
 * has no client and no breaker. {@code embeddingSpace} is set for models that embed (declared in the
 * YAML, fixed for the local model), on a group and on each of its deployments alike.
 */
public record ModelEndpoint(String name, Provider provider, String modelId, ModelClient client, ChatUpstream chat,
                            EmbeddingsUpstream embeddings, ResilientClient resilience, String unavailableReason,
                            Optional<String> embeddingSpace, String deployment, int weight,
                            List<ModelEndpoint> deployments) {

    public ModelEndpoint {
        deployments = List.copyOf(deployments);
    }

    /** A single endpoint. */
    public ModelEndpoint(String name, Provider provider, String modelId, ModelClient client, ChatUpstream chat,
                         EmbeddingsUpstream embeddings, ResilientClient resilience, String unavailableReason,
                         Optional<String> embeddingSpace) {
        this(name, provider, modelId, client, chat, embeddings, resilience, unavailableReason, embeddingSpace, null, 1, List.of());
    }

    public ModelEndpoint(String name, Provider provider, String modelId, ModelClient client,
                         ResilientClient resilience, String unavailableReason) {
        this(name, provider, modelId, client, null, null, resilience, unavailableReason, provider.fixedEmbeddingSpace());
    }

    /** A model served by {@code deployments} (at least one); its provider, id and embedding space are the first deployment's. */
    public static ModelEndpoint group(String name, List<ModelEndpoint> deployments) {
        ModelEndpoint first = deployments.get(0);
        String reason = deployments.stream().allMatch(d -> d.unavailableReason() != null)
                ? deployments.stream().map(d -> d.deployment() + ": " + d.unavailableReason()).collect(Collectors.joining("; "))
                : null;
        return new ModelEndpoint(name, first.provider(), first.modelId(), null, null, null, null, reason,
                first.embeddingSpace(), null, 0, deployments);
    }

    public boolean available() {
        return deployments.isEmpty() ? client != null : deployments.stream().anyMatch(ModelEndpoint::available);
    }

    /** Answers chat and categorization: every model but the embeddings-only ones (the local model does both). */
    public boolean chats() {
        return provider == Provider.LOCAL || embeddingSpace.isEmpty();
    }

    /** What can be called: the deployments of a group, else this endpoint itself. */
    public List<ModelEndpoint> endpoints() {
        return deployments.isEmpty() ? List.of(this) : deployments;
    }

    /** The name of this endpoint's breaker: the deployment's, else the model's. */
    public String service() {
        return deployment != null ? deployment : name;
    }

    /** This endpoint for one try: its clients report every reply to {@code observer}. */
    ModelEndpoint observedBy(AttemptObserver.Try observer) {
        if (observer == AttemptObserver.Try.NONE) {
            return this;
        }
        return new ModelEndpoint(name, provider, modelId, client == null ? null : new ObservedModelClient(client, observer),
                chat == null ? null : new ObservedChatUpstream(chat, observer), embeddings, resilience, unavailableReason,
                embeddingSpace, deployment, weight, deployments);
    }

    ModelEndpoint withResilience(ResilientClient replacement) {
        return new ModelEndpoint(name, provider, modelId, client, chat, embeddings, replacement, unavailableReason,
                embeddingSpace, deployment, weight, deployments);
    }

    /** This endpoint, or the deployment of this group, whose breaker serves {@code replacement}'s service, rebound to it. */
    ModelEndpoint rebind(ResilientClient replacement) {
        if (!deployments.isEmpty()) {
            return new ModelEndpoint(name, provider, modelId, client, chat, embeddings, resilience, unavailableReason,
                    embeddingSpace, deployment, weight, deployments.stream().map(d -> d.rebind(replacement)).toList());
        }
        return service().equals(replacement.service()) ? withResilience(replacement) : this;
    }
}
