package dev.breakwater.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.time.Duration;

/**
 * Builds a {@link GatewayConfig} outside Quarkus' own start-up (to re-read the YAML at runtime, or in
 * tests), with the same converters Quarkus uses so "60s" and "500ms" mean the same everywhere.
 */
public final class GatewayConfigLoader {

    private GatewayConfigLoader() {
    }

    public static GatewayConfig load(ConfigSource... sources) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(sources)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(GatewayConfig.class)
                .build();
        return config.getConfigMapping(GatewayConfig.class);
    }
}
