package dev.breakwater.deploy;

import dev.breakwater.config.ConfigValidator;
import dev.breakwater.config.GatewayConfig;
import dev.breakwater.taxonomy.BuiltInTaxonomies;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.source.yaml.YamlConfigSource;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loading and walking the deployment artefacts' YAML (plain maps and lists, as SnakeYAML gives them). */
final class Yamls {

    /** The repository root: tests run with the module directory as working directory. */
    static final Path ROOT = Path.of("").toAbsolutePath();

    private Yamls() {
    }

    static Map<String, Object> load(Path file) {
        assertTrue(Files.isRegularFile(file), "missing file " + ROOT.relativize(file.toAbsolutePath()));
        return map(new Yaml().load(read(file)));
    }

    static List<Map<String, Object>> loadAll(String text) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml().loadAll(text)) {
            if (document != null) {
                documents.add(map(document));
            }
        }
        return documents;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return value instanceof List<?> l ? (List<Object>) l : List.of();
    }

    /** Follows a path of keys ("spec", "template", ...) and list indexes (Integer). */
    static Object at(Object node, Object... path) {
        Object current = node;
        for (Object step : path) {
            if (step instanceof Integer index) {
                List<Object> items = list(current);
                current = index < items.size() ? items.get(index) : null;
            } else {
                current = map(current).get(step);
            }
        }
        return current;
    }

    static String string(Object node, Object... path) {
        Object value = at(node, path);
        return value == null ? null : String.valueOf(value);
    }

    /**
     * Binds a gateway YAML file to the typed {@link GatewayConfig} exactly as the application does
     * and returns the start-up validator's problems: an artefact's config that would not start the
     * gateway fails the test here instead of in a pod.
     */
    static List<String> gatewayConfigProblems(Path file) throws IOException {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new YamlConfigSource(file.toUri().toURL()))
                .withMapping(GatewayConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter()) // "30s", "500ms", as in Quarkus
                .build();
        return ConfigValidator.problems(config.getConfigMapping(GatewayConfig.class), BuiltInTaxonomies.ids());
    }
}
