package dev.breakwater.providers;

import org.eclipse.microprofile.config.ConfigProvider;

import java.util.Optional;

/**
 * API keys come from the environment variable the YAML names. Config is consulted too (same name),
 * so a key can come from a mounted secret file or a test profile without touching the environment.
 */
public final class ApiKeys {

    private ApiKeys() {
    }

    public static Optional<String> resolve(String variable) {
        String env = System.getenv(variable);
        if (env != null && !env.isBlank()) {
            return Optional.of(env);
        }
        return ConfigProvider.getConfig().getOptionalValue(variable, String.class).filter(v -> !v.isBlank());
    }
}
