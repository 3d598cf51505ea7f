package dev.breakwater.keys;

import dev.breakwater.chain.RoutedModels;
import dev.breakwater.config.GatewayConfig;
import dev.breakwater.config.GatewayConfig.Price;
import dev.breakwater.providers.TokenUsage;
import jakarta.inject.Singleton;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What an answer cost, from the {@code price} (USD per million tokens) of the model that produced it,
 * or of the route that reached it. A model without a price has no cost: never a guess.
 */
@Singleton
public class Prices {

    private final Map<String, Price> models = new HashMap<>();
    private final GatewayConfig config;

    public Prices(GatewayConfig config) {
        this.config = config;
        config.models().forEach(m -> m.price().ifPresent(p -> models.put(m.name(), p)));
    }

    public Optional<Price> of(String model) {
        Price price = models.get(model);
        if (price != null) {
            return Optional.of(price);
        }
        return config.routes().stream().filter(r -> RoutedModels.forwardedId(r, model) != null).findFirst()
                .flatMap(GatewayConfig.RouteConfig::price);
    }

    /** The cost in nano-USD (whole numbers add up exactly across replicas), or empty when the model has no price. */
    public OptionalLong costNanos(String model, TokenUsage usage) {
        return of(model).map(p -> OptionalLong.of(Math.round(usage.promptTokens() * p.input() * 1000
                + usage.completionTokens() * p.output() * 1000))).orElse(OptionalLong.empty());
    }
}
