package dev.breakwater.resilience;

import dev.breakwater.config.GatewayConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Optional;

/**
 * The protected dependencies declared under {@code breakwater.dependencies}. Each gets its breaker
 * at start-up, before any traffic, so health, metrics and the admin API list it from the first
 * second; the code that calls a dependency later picks up that same client by name.
 */
@Singleton
public class Dependencies {

    public static final String FACTOR_BROKER = "factor_broker";

    private final GatewayConfig config;
    private final BreakerRegistry breakers;

    public Dependencies(GatewayConfig config, BreakerRegistry breakers) {
        this.config = config;
        this.breakers = breakers;
    }

    /** The client of {@code service}, with its declared overrides or the global settings. */
    public ResilientClient client(String service) {
        return breakers.register(service, policy(service));
    }

    public ResiliencePolicy policy(String service) {
        GatewayConfig.Resilience global = config.resilience();
        Optional<GatewayConfig.Dependency> declared = Optional.ofNullable(config.dependencies().get(service));
        return new ResiliencePolicy(
                BreakerSettings.of(global.circuitBreaker()).with(declared.flatMap(GatewayConfig.Dependency::circuitBreaker)),
                RetrySettings.of(global.retry()).with(declared.flatMap(GatewayConfig.Dependency::retry)),
                declared.flatMap(GatewayConfig.Dependency::timeout).orElseGet(() -> namedTimeout(service, global.timeout())));
    }

    /** The seed names a global timeout per kind of service; anything else gets the default one. */
    static Duration namedTimeout(String service, GatewayConfig.Timeouts timeouts) {
        return switch (service) {
            case FACTOR_BROKER -> timeouts.factorBroker();
            case "erp_connector" -> timeouts.erpConnector();
            case "llm_service" -> timeouts.llmApi();
            default -> timeouts.defaultTimeout();
        };
    }

    // Runs after GatewayStartup (default priority) has validated the configuration.
    void registerAll(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION + 600) StartupEvent event) {
        config.dependencies().keySet().forEach(this::client);
        Log.infof("dependency breakers ready: %s", config.dependencies().keySet());
    }
}
