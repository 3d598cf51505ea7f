package dev.breakwater.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** A real {@link GatewayConfig} from a few properties, for unit tests that need no Quarkus. */
public final class TestConfigs {

    private TestConfigs() {
    }

    /** {@code properties} on top of a minimal valid gateway (one local model); keys without the {@code breakwater.} prefix. */
    public static GatewayConfig gateway(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>();
        all.put("breakwater.models[0].name", "local");
        all.put("breakwater.models[0].provider", "local");
        all.put("breakwater.categorize.chain", "default");
        properties.forEach((k, v) -> all.put("breakwater." + k, v));
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(GatewayConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(all, "test", 500))
                .build();
        return config.getConfigMapping(GatewayConfig.class);
    }
}
