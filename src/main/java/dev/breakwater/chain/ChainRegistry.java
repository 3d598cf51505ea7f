package dev.breakwater.chain;

import dev.breakwater.config.GatewayConfig;
import dev.breakwater.config.GatewayConfig.ModelConfig;
import dev.breakwater.config.Provider;
import dev.breakwater.providers.ModelClientFactory;
import dev.breakwater.resilience.BreakerRegistry;
import dev.breakwater.resilience.BreakerSettings;
import dev.breakwater.resilience.ResiliencePolicy;
import dev.breakwater.resilience.RetrySettings;
import io.quarkus.logging.Log;
import jakarta.inject.Singleton;

import java.time.Duration;
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
        GatewayConfig.Resilience global = config.resilience();
        Duration timeout = m.timeout().orElse(m.provider() == Provider.LOCAL
                ? global.timeout().defaultTimeout() : global.timeout().llmApi());
        // The local model is deterministic and in-process: retrying it cannot change its answer.
        RetrySettings retry = m.provider() == Provider.LOCAL
                ? RetrySettings.NONE : RetrySettings.of(global.retry()).with(m.retry());
        ResiliencePolicy policy = new ResiliencePolicy(BreakerSettings.of(global.circuitBreaker()).with(m.circuitBreaker()),
                retry, timeout);
        ModelClientFactory.Built built = factory.create(m, timeout);
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
