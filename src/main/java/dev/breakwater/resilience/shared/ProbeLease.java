package dev.breakwater.resilience.shared;

import java.util.Optional;

/**
 * The probe lease protocol in Redis. The lease is a key whose value is the holder's replica id and whose
 * TTL is what is left of it: taken with {@code SET NX PX}, renewed and released only by its holder, each
 * check-and-change in one Lua script (so nobody overwrites a lease a peer took in between). Only durations
 * go to Redis ({@code PX}, {@code PTTL}): no replica ever reads a time another replica's clock wrote.
 * Scripts are sent with EVAL each time: a replica promoted by a fail-over has no script cache.
 * Every method answers empty when Redis cannot say.
 */
final class ProbeLease {

    /**
     * KEYS: breaker, probe. ARGV: id, recovery ms, lease ms. Takes the free lease (or renews the caller's) and
     * stores the opening; 0, touching nothing, when a peer holds the lease: that peer is probing or about to.
     */
    private static final String OPEN = """
            if not redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[3]) then
              if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
              if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[2], ARGV[3]) end
            end
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            return 1""";

    /** KEYS: probe. ARGV: id, lease ms. 1 when the caller holds the lease (for at least lease ms from now). */
    private static final String RENEW = """
            if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
            if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return 1""";

    /** KEYS: probe. ARGV: id. Frees the lease if it is the caller's. */
    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
            return 1""";

    /** KEYS: breaker, probe. ARGV: id. The opening ends for everyone; the lease only if it is the caller's. */
    private static final String CLOSE = """
            redis.call('DEL', KEYS[1])
            if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
            return 1""";

    private final SharedStateErrors redis;
    private final SharedKeys keys;
    private final String replicaId;

    ProbeLease(SharedStateErrors redis, SharedKeys keys, String replicaId) {
        this.redis = redis;
        this.keys = keys;
        this.replicaId = replicaId;
    }

    /**
     * Takes the lease for {@code leaseMillis} and marks the service open for {@code recoveryMillis}: true when
     * this replica holds the lease now, false (and nothing changed) when a peer does.
     */
    Optional<Boolean> open(String service, long recoveryMillis, long leaseMillis) {
        return script(OPEN, 2, keys.breaker(service), keys.probe(service), replicaId,
                Long.toString(recoveryMillis), Long.toString(leaseMillis));
    }

    /** Takes the free lease ({@code SET NX PX}), or renews it if this replica holds it already. */
    Optional<Boolean> acquire(String service, long leaseMillis) {
        Optional<String> taken = redis.command("SET", keys.probe(service), replicaId, "NX", "PX",
                Long.toString(leaseMillis));
        if (taken.isEmpty() || !taken.get().isEmpty()) {
            return taken.map(reply -> true);
        }
        return renew(service, leaseMillis);
    }

    /** Extends the lease to at least {@code leaseMillis} if this replica holds it; false when a peer does (or nobody). */
    Optional<Boolean> renew(String service, long leaseMillis) {
        return script(RENEW, 1, keys.probe(service), replicaId, Long.toString(leaseMillis));
    }

    /** Ends the opening and releases the lease if it is this replica's. */
    void close(String service) {
        script(CLOSE, 2, keys.breaker(service), keys.probe(service), replicaId);
    }

    /** Frees the lease if this replica holds it; a peer's stays its. */
    void release(String service) {
        script(RELEASE, 1, keys.probe(service), replicaId);
    }

    /** What is left of a peer's opening, in milliseconds; 0 when none is stored. */
    Optional<Long> openRemaining(String service) {
        return redis.command("PTTL", keys.breaker(service)).map(Long::parseLong).map(ttl -> Math.max(0, ttl));
    }

    private Optional<Boolean> script(String script, int keyCount, String... keysThenArgs) {
        String[] args = new String[keysThenArgs.length + 2];
        args[0] = script;
        args[1] = Integer.toString(keyCount);
        System.arraycopy(keysThenArgs, 0, args, 2, keysThenArgs.length);
        return redis.command("EVAL", args).map("1"::equals);
    }
}
