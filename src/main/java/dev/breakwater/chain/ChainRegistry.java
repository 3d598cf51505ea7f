package dev.breakwater.chain;

import dev.breakwater.config.GatewayConfig;
import dev.breakwater.config.GatewayConfig.ModelConfig;
import dev.breakwater.providers.ModelClientFactory;
import dev.breakwater.resilience.BreakerRegistry;
import dev.breakwater.resilience.ResiliencePolicy;
import io.quarkus.logging.Log;
import jakarta.inject.Singleton;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configured models and chains, built once from {@link GatewayConfig}. The chain named
 * {@code default} is every enabled model in the order of {@code models:} unless the YAML defines it.
 */
@Singleton
public class ChainRegistry {

    public static final String DEFAULT_CHAIN = "default";

    private final Map<String, ModelEndpoint> models = new LinkedHashMap<>();
    private final Map<String, ModelChain> chains = new LinkedHashMap<>();

    public ChainRegistry(GatewayConfig config, ModelClientFactory factory, BreakerRegistry breakers) {
        for (ModelConfig m : config.models()) {
            models.put(m.name(), endpoint(config, m, factory, breakers));
        }
        List<ModelEndpoint> enabled = config.models().stream().filter(ModelConfig::enabled)
                .map(m -> models.get(m.name())).toList();
        chains.put(DEFAULT_CHAIN, new ModelChain(DEFAULT_CHAIN, enabled, false, config.minQuality()));
        config.chains().forEach((name, chain) -> chains.put(name, new ModelChain(name,
                chain.models().stream().filter(n -> models.containsKey(n) && isEnabled(config, n)).map(models::get).toList(),
                chain.contentPolicyFallback(), chain.minQuality().orElse(config.minQuality()))));
        models.values().stream().filter(m -> !m.available())
                .forEach(m -> Log.infof("model %s is skipped: %s", m.name(), m.unavailableReason()));
    }

    private static boolean isEnabled(GatewayConfig config, String name) {
        return config.models().stream().anyMatch(m -> m.name().equals(name) && m.enabled());
    }

    private static ModelEndpoint endpoint(GatewayConfig config, ModelConfig m, ModelClientFactory factory, BreakerRegistry breakers) {
        ResiliencePolicy policy = ModelPolicies.of(config.resilience(), m.provider(), m.timeout(), m.circuitBreaker(), m.retry());
        ModelClientFactory.Built built = factory.create(m, policy.timeout());
        return new ModelEndpoint(m.name(), m.provider(), m.model().orElse(m.name()), built.client(),
                breakers.register(m.name(), policy), built.unavailableReason());
    }

    public Optional<ModelChain> chain(String name) {
        return Optional.ofNullable(chains.get(name));
    }

    public Optional<ModelEndpoint> model(String name) {
        return Optional.ofNullable(models.get(name));
    }

    public Collection<ModelEndpoint> models() {
        return models.values();
    }

    public Collection<ModelChain> chains() {
        return chains.values();
    }
}
