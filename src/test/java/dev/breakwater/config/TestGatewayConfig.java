package dev.breakwater.config;

import io.smallrye.config.PropertiesConfigSource;

import java.util.HashMap;
import java.util.Map;

/** A real {@link GatewayConfig} for unit tests: {@code properties} on top of a minimal valid gateway (one local model). */
public final class TestGatewayConfig {

    private TestGatewayConfig() {
    }

    /** @param properties keys without the {@code breakwater.} prefix */
    public static GatewayConfig of(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(Map.of(
                "breakwater.models[0].name", "local",
                "breakwater.models[0].provider", "local",
                "breakwater.categorize.chain", "default"));
        properties.forEach((k, v) -> all.put("breakwater." + k, v));
        return GatewayConfigLoader.load(new PropertiesConfigSource(all, "test", 100));
    }
}
