package dev.breakwater.health;

import dev.breakwater.chain.ChainRegistry;
import dev.breakwater.chain.ModelChain;
import dev.breakwater.chain.ModelEndpoint;
import dev.breakwater.config.GatewayConfig;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.List;

/**
 * Ready while at least one model of the categorization chain can be called: configured and its
 * breaker not open (half-open counts: it lets a probe through). The local model counts, so a gateway
 * with every cloud model down stays in the load balancer and answers from it. Nothing here touches
 * the network; liveness has no checks of its own and so never depends on upstreams.
 */
@Readiness
@Singleton
public class AnswerTiersReadiness implements HealthCheck {

    private final ChainRegistry chains;
    private final GatewayConfig config;

    public AnswerTiersReadiness(ChainRegistry chains, GatewayConfig config) {
        this.chains = chains;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        String chainName = config.categorize().chain();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("answer-tiers").withData("chain", chainName);
        boolean any = false;
        for (ModelEndpoint model : chains.chain(chainName).map(ModelChain::models).orElse(List.of())) {
            for (ModelEndpoint endpoint : model.endpoints()) {
                boolean usable = endpoint.available() && !endpoint.resilience().isOpenAndWaiting();
                any |= usable;
                response.withData(endpoint.service(), endpoint.available() ? endpoint.resilience().reportedState().id() : "not_configured");
            }
        }
        return response.status(any).build();
    }
}
