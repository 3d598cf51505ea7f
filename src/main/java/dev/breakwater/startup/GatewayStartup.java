package dev.breakwater.startup;

import dev.breakwater.chain.ChainRegistry;
import dev.breakwater.config.ConfigValidator;
import dev.breakwater.config.EndpointConfig;
import dev.breakwater.config.GatewayConfig;
import dev.breakwater.providers.ApiKeys;
import dev.breakwater.providers.local.LocalModelClient;
import dev.breakwater.secrets.Secrets;
import dev.breakwater.taxonomy.BuiltInTaxonomies;
import dev.breakwater.taxonomy.TaxonomyRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.config.ConfigProvider;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Start-up, the one place that knows every part (so that configuration, chains and providers need not know
 * each other): validates the configuration before anything is built (an invalid file stops start-up with every
 * problem listed), then builds the chains and warms the local model so the first request pays for
 * neither.
 */
public class GatewayStartup {

    void onStart(@Observes StartupEvent event, GatewayConfig config, Instance<ChainRegistry> chains,
                 Instance<TaxonomyRegistry> taxonomies) {
        List<String> problems = ConfigValidator.problems(config, BuiltInTaxonomies.ids());
        if (!problems.isEmpty()) {
            throw new IllegalStateException("invalid gateway configuration:\n  - " + String.join("\n  - ", problems));
        }
        registerSecrets(config);
        ChainRegistry registry = chains.get();
        taxonomies.get().find(config.categorize().defaultTaxonomy()).ifPresent(taxonomy ->
                registry.models().stream()
                        .filter(m -> m.client() instanceof LocalModelClient)
                        .forEach(m -> ((LocalModelClient) m.client()).warmUp(taxonomy)));
        Log.infof("configuration loaded from %s; chains ready: %s", configFiles(), registry.chains().stream()
                .map(c -> c.name() + "=" + c.models().stream().map(m -> m.name()).toList()).toList());
    }

    /** The files of {@code quarkus.config.locations}, absolute, so an operator sees which copy was read. */
    private static List<String> configFiles() {
        return ConfigProvider.getConfig().getOptionalValues("quarkus.config.locations", String.class)
                .orElse(List.of()).stream()
                .map(l -> l.matches("[a-zA-Z][a-zA-Z0-9+.-]+:.*") ? l : Path.of(l).toAbsolutePath().normalize().toString())
                .toList();
    }

    /** Before the first request and the first log line that could echo them. */
    private static void registerSecrets(GatewayConfig config) {
        config.admin().token().ifPresent(Secrets::register);
        // Every endpoint of every model: single-endpoint models and each deployment, Azure Entra tokens too.
        List<EndpointConfig> endpoints = config.models().stream().flatMap(m -> EndpointConfig.of(m).stream()).toList();
        Stream.of(endpoints.stream().map(EndpointConfig::apiKeyEnv),
                        endpoints.stream().map(EndpointConfig::azureAdTokenEnv),
                        config.routes().stream().map(GatewayConfig.RouteConfig::apiKeyEnv),
                        Stream.of(config.factors().apiKeyEnv()))
                .flatMap(s -> s).flatMap(Optional::stream).distinct().forEach(ApiKeys::resolve);
    }
}
