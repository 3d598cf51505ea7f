package dev.breakwater.taxonomy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** Taxonomies shipped inside the jar, so the gateway can classify without any external configuration. */
public final class BuiltInTaxonomies {

    public static final String GHG_SCOPE3 = "ghg-scope3";

    private static final String RESOURCE_DIR = "/taxonomies/";
    private static final ObjectMapper MAPPER = new ObjectMapper()
            // Tolerate extra documentation fields so the JSON can evolve without breaking old builds.
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private BuiltInTaxonomies() {
    }

    public static List<Taxonomy> load() {
        return List.of(ghgScope3());
    }

    /** The 15 GHG Protocol Scope 3 categories, ids "1".."15" in the Protocol's order. */
    public static Taxonomy ghgScope3() {
        return read(GHG_SCOPE3);
    }

    private static Taxonomy read(String id) {
        String path = RESOURCE_DIR + id + ".json";
        try (InputStream in = BuiltInTaxonomies.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("built-in taxonomy resource missing: " + path);
            }
            return MAPPER.readValue(in, Taxonomy.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read built-in taxonomy " + path, e);
        }
    }
}
