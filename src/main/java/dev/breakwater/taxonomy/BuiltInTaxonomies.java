package dev.breakwater.taxonomy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;

/** Taxonomies shipped inside the jar, so the gateway can classify without any external configuration. */
public final class BuiltInTaxonomies {

    public static final String GHG_SCOPE3 = "ghg-scope3";

    private static final String RESOURCE_DIR = "/taxonomies/";
    private static final List<String> IDS = List.of(GHG_SCOPE3);

    private BuiltInTaxonomies() {
    }

    /** Without reading the files: what the configuration may refer to. */
    public static Set<String> ids() {
        return Set.copyOf(IDS);
    }

    public static List<Taxonomy> load(ObjectMapper json) {
        return IDS.stream().map(id -> read(json, id)).toList();
    }

    /** The 15 GHG Protocol Scope 3 categories, ids "1".."15" in the Protocol's order. */
    public static Taxonomy ghgScope3(ObjectMapper json) {
        return read(json, GHG_SCOPE3);
    }

    private static Taxonomy read(ObjectMapper json, String id) {
        String path = RESOURCE_DIR + id + ".json";
        try (InputStream in = BuiltInTaxonomies.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("built-in taxonomy resource missing: " + path);
            }
            // Tolerate extra documentation fields so the JSON can evolve without breaking old builds.
            return json.readerFor(Taxonomy.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read built-in taxonomy " + path, e);
        }
    }
}
