package dev.breakwater.chain;

import dev.breakwater.config.EndpointConfig;
import dev.breakwater.config.GatewayConfig;
import dev.breakwater.config.GatewayConfig.ModelConfig;
import dev.breakwater.config.Provider;
import dev.breakwater.providers.factory.ModelClientFactory;
import dev.breakwater.resilience.BreakerRegistry;
import dev.breakwater.resilience.ResiliencePolicy;
import dev.breakwater.resilience.ResilientClient;
import io.quarkus.logging.Log;
import jakarta.inject.Singleton;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The configured models and chains, built from {@link GatewayConfig} and replaced as a whole on a
 * reload ({@link #current()} hands out immutable {@link ChainSet}s). The chain named
 * {@code default} is every enabled model in the order of {@code models:} unless the YAML defines it.
 */
@Singleton
public class ChainRegistry {

    public static final String DEFAULT_CHAIN = "default";

    private final ModelClientFactory factory;
    private final BreakerRegistry breakers;
    private final AtomicReference<ChainSet> current = new AtomicReference<>();

    public ChainRegistry(GatewayConfig config, ModelClientFactory factory, BreakerRegistry breakers) {
        this.factory = factory;
        this.breakers = breakers;
        current.set(build(config));
    }

    /** The models and chains as they are now; keep the returned set for the whole request. */
    public ChainSet current() {
        return current.get();
    }

    public Optional<ModelChain> chain(String name) {
        return current().chain(name);
    }

    public Optional<ModelEndpoint> model(String name) {
        return current().model(name);
    }

    public Collection<ModelEndpoint> models() {
        return current().models().values();
    }

    public Collection<ModelChain> chains() {
        return current().chains().values();
    }

    /**
     * Swaps in the models and chains of {@code config} (already validated). A model whose resilience
     * settings did not change keeps its breaker and its state; the breakers of models no longer
     * configured are dropped. Requests in flight finish on the set they started with.
     */
    public synchronized ChainSet reload(GatewayConfig config) {
        ChainSet previous = current.get();
        ChainSet next = build(config);
        current.set(next);
        List<String> kept = services(next);
        services(previous).stream().filter(service -> !kept.contains(service)).forEach(breakers::remove);
        return next;
    }

    /**
     * Serves one more OpenAI-compatible model, {@code name} at {@code baseUrl} (no key), as a model and a
     * chain of its own, until {@link #withdraw(String)}. For the warm-up's loopback upstream: it never
     * comes from the YAML, so a reload drops it.
     */
    public synchronized void lend(String name, String baseUrl, ResiliencePolicy policy) {
        ModelClientFactory.Built built = factory.openAi(name, Optional.of(baseUrl), Optional.empty(), policy.timeout());
        current.set(current.get().with(new ModelEndpoint(name, Provider.OPENAI, name, built.client(), built.chat(),
                built.embeddings(), breaker(name, policy), built.unavailableReason(), Optional.empty())));
    }

    /** Ends a {@link #lend}: the model, its chain and its breaker are gone. */
    public synchronized void withdraw(String name) {
        ChainSet set = current.get();
        current.set(set.without(name));
        set.model(name).ifPresent(lent -> breakers.remove(name, lent.resilience()));
    }

    /** Every breaker's name in {@code set}: models', and deployments' for models served by several. */
    private static List<String> services(ChainSet set) {
        return set.models().values().stream().flatMap(m -> m.endpoints().stream()).map(ModelEndpoint::service).toList();
    }

    /** Rebuilds one service's breaker from {@code policy} (state starts closed) and points the chains at it. */
    public synchronized ResilientClient replaceBreaker(String service, ResiliencePolicy policy) {
        ResilientClient fresh = breakers.replace(service, policy);
        current.set(current.get().rebind(fresh));
        return fresh;
    }

    private ChainSet build(GatewayConfig config) {
        Map<String, ModelClientFactory.Built> clients = new LinkedHashMap<>();
        Map<String, ResiliencePolicy> policies = new LinkedHashMap<>();
        for (ModelConfig m : config.models()) {
            for (EndpointConfig e : EndpointConfig.of(m)) {
                ResiliencePolicy policy = ModelPolicies.of(config.resilience(), e.provider(), m.timeout(), m.circuitBreaker(), m.retry());
                clients.put(e.service(), factory.create(e, policy.timeout()));
                policies.put(e.service(), policy);
            }
        }
        // Breakers are touched only once every client is built, so a failing build leaves them as they were.
        Map<String, ModelEndpoint> models = new LinkedHashMap<>();
        for (ModelConfig m : config.models()) {
            List<ModelEndpoint> endpoints = EndpointConfig.of(m).stream().map(e -> {
                ModelClientFactory.Built built = clients.get(e.service());
                return new ModelEndpoint(m.name(), e.provider(), e.modelId(), built.client(), built.chat(), built.embeddings(),
                        breaker(e.service(), policies.get(e.service())), built.unavailableReason(),
                        m.embeddingSpace().or(() -> e.provider().fixedEmbeddingSpace()), e.deployment(), e.weight(),
                        List.of());
            }).toList();
            models.put(m.name(), m.deployments().isPresent() ? ModelEndpoint.group(m.name(), endpoints) : endpoints.get(0));
        }
        Map<String, ModelChain> chains = new LinkedHashMap<>();
        // Embeddings-only models would fail every chat and categorization request of the default chain.
        List<ModelEndpoint> enabled = config.models().stream().filter(ModelConfig::enabled)
                .map(m -> models.get(m.name())).filter(ModelEndpoint::chats).toList();
        chains.put(DEFAULT_CHAIN, new ModelChain(DEFAULT_CHAIN, enabled, false, config.minQuality()));
        config.chains().forEach((name, chain) -> chains.put(name, new ModelChain(name,
                chain.models().stream().filter(n -> models.containsKey(n) && isEnabled(config, n)).map(models::get).toList(),
                chain.contentPolicyFallback(), chain.minQuality().orElse(config.minQuality()), chain.callerErrorFallback(),
                chain.kind())));
        models.values().stream().filter(m -> !m.available())
                .forEach(m -> Log.infof("model %s is skipped: %s", m.name(), m.unavailableReason()));
        return new ChainSet(models, chains);
    }

    /** The service's breaker as it is when its policy is unchanged (so its state survives a reload), else a new one. */
    private ResilientClient breaker(String service, ResiliencePolicy policy) {
        ResilientClient client = breakers.register(service, policy);
        return client.policy().equals(policy) ? client : breakers.replace(service, policy);
    }

    private static boolean isEnabled(GatewayConfig config, String name) {
        return config.models().stream().anyMatch(m -> m.name().equals(name) && m.enabled());
    }
}
