package dev.breakwater.keys;

import dev.breakwater.config.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** Names of everything the caller keys keep in Redis, under {@code auth.redis-prefix}. */
@Singleton
public class KeySpace {

    private final String prefix;

    @Inject
    public KeySpace(GatewayConfig config) {
        this(config.auth().redisPrefix());
    }

    KeySpace(String prefix) {
        this.prefix = prefix + ":keys";
    }

    /** Hash: key id → the key as JSON. */
    String table() {
        return prefix;
    }

    /** Pub/sub channel: "put {id}" or "del {id}" after every change of the table. */
    String channel() {
        return prefix + ":events";
    }

    /**
     * A key's rate window and its budget usage are touched together by one Lua script: the hash tag
     * {@code {prefix:keys:id}} puts both in one slot, so the script runs on Redis Cluster too.
     */
    String window(String id, long window) {
        return "{" + prefix + ":" + id + "}:rl:" + window;
    }

    String usage(String id, long periodStart) {
        return "{" + prefix + ":" + id + "}:usage:" + periodStart;
    }
}
