package dev.breakwater.admin;

import dev.breakwater.api.ProblemException;
import dev.breakwater.chain.ChainRegistry;
import dev.breakwater.chain.ChainSet;
import dev.breakwater.chain.ModelEndpoint;
import dev.breakwater.config.ConfigValidator;
import dev.breakwater.config.GatewayConfig;
import dev.breakwater.config.GatewayConfigLoader;
import dev.breakwater.resilience.ResilientClient;
import dev.breakwater.taxonomy.BuiltInTaxonomies;
import io.quarkus.logging.Log;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SysPropConfigSource;
import io.smallrye.config.source.yaml.YamlConfigSource;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Re-reads the YAML the gateway was started with ({@code quarkus.config.locations}) and, if it is
 * valid, swaps in its models and chains. Invalid files change nothing. What is reloaded: models,
 * chains and their quality thresholds, per-model resilience settings. Everything else (cache,
 * limits, deadline, taxonomies, the admin token, which chain categorization uses) needs a restart.
 */
@Singleton
public class ConfigReloader {

    static final String LOCATIONS = "quarkus.config.locations";

    private final ChainRegistry chains;
    private final GatewayConfig running;

    public ConfigReloader(ChainRegistry chains, GatewayConfig running) {
        this.chains = chains;
        this.running = running;
    }

    public synchronized ReloadResult reload() {
        List<String> files = locations();
        GatewayConfig fresh = read(files);
        List<String> problems = new ArrayList<>(ConfigValidator.problems(fresh, BuiltInTaxonomies.ids()));
        String inUse = running.categorize().chain();
        if (!inUse.equals(ChainRegistry.DEFAULT_CHAIN) && !fresh.chains().containsKey(inUse)) {
            problems.add("breakwater.chains." + inUse + " is missing: categorization uses it until a restart");
        }
        if (!problems.isEmpty()) {
            Log.warnf("admin: configuration reload refused, the current chains stay: %s", problems);
            throw invalid("the configuration in " + files + " is invalid; the current chains stay in service")
                    .with("problems", problems);
        }
        ChainSet before = chains.current();
        ChainSet after = chains.reload(fresh);
        ReloadResult result = ReloadResult.of(files, before, after);
        Log.infof("admin: configuration reloaded from %s: chains %s, breakers kept %s, rebuilt %s, removed %s",
                files, result.chains(), result.breakersKept(), result.breakersRebuilt(), result.breakersRemoved());
        return result;
    }

    private static List<String> locations() {
        return ConfigProvider.getConfig().getOptionalValues(LOCATIONS, String.class)
                .filter(l -> !l.isEmpty())
                .orElseThrow(() -> new ProblemException(409, "Conflict",
                        "the gateway was started without " + LOCATIONS + ": there is no file to reload"));
    }

    private static GatewayConfig read(List<String> files) {
        List<ConfigSource> sources = new ArrayList<>();
        // The environment and system properties override the file, as they do at start-up.
        sources.add(new EnvConfigSource(System.getenv(), 300));
        sources.add(new SysPropConfigSource());
        for (int i = 0; i < files.size(); i++) {
            try {
                // One ordinal per file keeps the merge order deterministic; the gateway ships a single file.
                sources.add(new YamlConfigSource(url(files.get(i)), 260 - i));
            } catch (IOException | RuntimeException e) {
                throw invalid("cannot read " + files.get(i) + ": " + e.getMessage());
            }
        }
        try {
            return GatewayConfigLoader.load(sources.toArray(ConfigSource[]::new));
        } catch (RuntimeException e) {
            throw invalid("the configuration in " + files + " does not load: " + e.getMessage());
        }
    }

    private static URL url(String location) throws IOException {
        if (location.startsWith("classpath:")) {
            URL resource = Thread.currentThread().getContextClassLoader().getResource(location.substring("classpath:".length()));
            if (resource == null) {
                throw new IOException("no such resource on the classpath");
            }
            return resource;
        }
        return location.matches("[a-zA-Z][a-zA-Z0-9+.-]+:.*") ? URI.create(location).toURL()
                : Path.of(location).toAbsolutePath().toUri().toURL();
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(400, "Invalid configuration", detail);
    }

    /** What a reload did: the chains now in service and what happened to each model's breaker. */
    public record ReloadResult(List<String> files, Map<String, List<String>> chains, List<String> breakersKept,
                               List<String> breakersRebuilt, List<String> breakersRemoved) {

        static ReloadResult of(List<String> files, ChainSet before, ChainSet after) {
            Map<String, List<String>> chains = new LinkedHashMap<>();
            after.chains().forEach((name, chain) -> chains.put(name, chain.models().stream().map(ModelEndpoint::name).toList()));
            List<String> kept = new ArrayList<>();
            List<String> rebuilt = new ArrayList<>();
            Map<String, ResilientClient> old = breakers(before);
            breakers(after).forEach((service, breaker) -> (old.get(service) == breaker ? kept : rebuilt).add(service));
            Map<String, ResilientClient> now = breakers(after);
            List<String> removed = old.keySet().stream().filter(s -> !now.containsKey(s)).toList();
            return new ReloadResult(files, chains, kept, rebuilt, removed);
        }

        /** Each model's breaker by service name (each deployment's, for a model served by several). */
        private static Map<String, ResilientClient> breakers(ChainSet set) {
            Map<String, ResilientClient> out = new LinkedHashMap<>();
            set.models().values().stream().flatMap(m -> m.endpoints().stream()).forEach(e -> out.put(e.service(), e.resilience()));
            return out;
        }
    }
}
