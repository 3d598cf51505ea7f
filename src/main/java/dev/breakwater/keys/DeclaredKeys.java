package dev.breakwater.keys;

import dev.breakwater.config.GatewayConfig;
import dev.breakwater.config.GatewayConfig.DeclaredKey;
import dev.breakwater.providers.ApiKeys;
import io.quarkus.logging.Log;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The keys declared in YAML ({@code auth.keys}), with their secrets from the environment. Their id is
 * derived from the name, so their counters survive restarts and are shared by every replica; their
 * budget periods count from the epoch, as they have no creation time.
 */
final class DeclaredKeys {

    private DeclaredKeys() {
    }

    static List<CallerKey> of(GatewayConfig config) {
        List<CallerKey> keys = new ArrayList<>();
        for (DeclaredKey declared : config.auth().keys()) {
            Optional<String> secret = ApiKeys.resolve(declared.keyEnv());
            if (secret.isEmpty()) {
                Log.warnf("caller key '%s' is disabled: its variable %s is not set", declared.name(), declared.keyEnv());
                continue;
            }
            keys.add(new CallerKey("yaml-" + declared.name(), declared.name(), KeySecrets.hash(secret.get()),
                    declared.models().orElse(List.of("*")), declared.rpm().orElse(null), declared.tpm().orElse(null),
                    declared.budgetUsd().orElse(null), declared.budgetPeriod().toSeconds(), 0, true));
        }
        return keys;
    }
}
