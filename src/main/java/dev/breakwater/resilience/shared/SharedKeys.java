package dev.breakwater.resilience.shared;

/**
 * Names in Redis of one fleet's shared breaker state. A service's keys share the hash tag
 * {@code {prefix:service}}, so a Lua script that touches both lands on one Redis Cluster slot (a script
 * whose keys span slots fails with CROSSSLOT). Pub/sub channels have no slot: Redis Cluster forwards a
 * PUBLISH to every node.
 */
record SharedKeys(String prefix) {

    String channel() {
        return prefix + ":breaker-events";
    }

    /** Present (with a TTL of the recovery timeout) while some replica holds the service open. */
    String breaker(String service) {
        return tag(service) + ":breaker";
    }

    /** The probe lease: its value is the id of the replica that may probe, its TTL the lease's remaining time. */
    String probe(String service) {
        return tag(service) + ":probe";
    }

    private String tag(String service) {
        return "{" + prefix + ":" + service + "}";
    }
}
