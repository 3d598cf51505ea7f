package dev.breakwater.taxonomy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.breakwater.config.GatewayConfig;
import jakarta.inject.Singleton;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Built-in taxonomies plus those declared under {@code breakwater.taxonomies}; YAML wins on a clash. */
@Singleton
public class TaxonomyRegistry {

    private final Map<String, Taxonomy> taxonomies = new LinkedHashMap<>();

    public TaxonomyRegistry(GatewayConfig config, ObjectMapper json) {
        BuiltInTaxonomies.load(json).forEach(t -> taxonomies.put(t.id(), t));
        config.taxonomies().forEach((id, t) -> taxonomies.put(id, fromConfig(id, t)));
    }

    static Taxonomy fromConfig(String id, GatewayConfig.TaxonomyConfig config) {
        var categories = config.categories().stream()
                .map(c -> new Category(c.id(), c.label(), c.description(), c.examples().orElse(null)))
                .toList();
        return new Taxonomy(id, categories, config.defaultCategory().orElse(null));
    }

    public Optional<Taxonomy> find(String id) {
        return Optional.ofNullable(taxonomies.get(id));
    }

    public Collection<Taxonomy> all() {
        return taxonomies.values();
    }
}
