package dev.breakwater.config;

import dev.breakwater.config.GatewayConfig.DeploymentConfig;
import dev.breakwater.config.GatewayConfig.ModelConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One callable endpoint of a configured model, whichever of the two YAML forms it came from: the
 * model itself (single-endpoint form, {@code deployment} null) or one of its {@code deployments}.
 *
 * @param service    the breaker's name: the model's, or the deployment's ({@code name:} or {@code {model}/{n}})
 * @param deployment the deployment's name, null for a single-endpoint model
 */
public record EndpointConfig(String service, String deployment, Provider provider, String modelId,
                             Optional<String> baseUrl, Optional<String> apiKeyEnv, int weight, Optional<String> region,
                             Optional<String> azureDeployment, String apiVersion, Optional<String> azureAdTokenEnv,
                             int defaultMaxTokens) {

    /** The endpoints of {@code model}, in YAML order; a model with neither provider nor deployments has none (the validator says so). */
    public static List<EndpointConfig> of(ModelConfig model) {
        List<EndpointConfig> out = new ArrayList<>();
        List<DeploymentConfig> deployments = model.deployments().orElse(List.of());
        if (deployments.isEmpty()) {
            model.provider().ifPresent(p -> out.add(new EndpointConfig(model.name(), null, p, model.model().orElse(model.name()),
                    model.baseUrl(), model.apiKeyEnv(), 1, model.region(), model.deployment(), model.apiVersion(),
                    model.azureAdTokenEnv(), model.defaultMaxTokens())));
            return out;
        }
        for (int i = 0; i < deployments.size(); i++) {
            DeploymentConfig d = deployments.get(i);
            String name = d.name().orElse(model.name() + "/" + i);
            out.add(new EndpointConfig(name, name, d.provider(), d.model().orElse(model.name()), d.baseUrl(), d.apiKeyEnv(),
                    d.weight(), d.region(), d.deployment(), d.apiVersion(), d.azureAdTokenEnv(), model.defaultMaxTokens()));
        }
        return out;
    }
}
