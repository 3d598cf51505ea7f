package dev.breakwater.providers;

import dev.breakwater.secrets.Secrets;
import org.eclipse.microprofile.config.ConfigProvider;

import java.util.Optional;

/**
 * API keys come from the environment variable the YAML names. Config is consulted too (same name),
 * so a key can come from a mounted secret file or a test profile without touching the environment.
 */
public final class ApiKeys {

    private ApiKeys() {
    }

    /** The key, registered as a secret so no text leaving the gateway can carry it. */
    public static Optional<String> resolve(String variable) {
        String env = System.getenv(variable);
        Optional<String> key = env != null && !env.isBlank() ? Optional.of(env)
                : ConfigProvider.getConfig().getOptionalValue(variable, String.class).filter(v -> !v.isBlank());
        key.ifPresent(Secrets::register);
        return key;
    }
}
