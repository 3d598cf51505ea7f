package dev.breakwater.load;

import java.time.Duration;

/**
 * Durations and rates of a load run. {@code -Dload.profile=smoke} (default: the whole outage run in
 * well under a minute, for CI) or {@code full} (a 60 s outage); any value can be overridden, e.g.
 * {@code -Dload.rps=200 -Dload.outage=30}. Durations are whole seconds.
 */
record LoadProfile(String name, int rps, Duration warmup, Duration steady, Duration outage,
                   Duration recoveryTimeout, Duration recovered, Duration upstreamLatency, Duration p99Bound,
                   int spikeFactor) {

    static LoadProfile fromSystemProperties() {
        String name = System.getProperty("load.profile", "smoke");
        LoadProfile base = switch (name) {
            case "smoke" -> new LoadProfile(name, 40, s(6), s(4), s(6), s(2), s(6), ms(20), ms(300), 4);
            case "full" -> new LoadProfile(name, 150, s(30), s(60), s(60), s(10), s(60), ms(20), ms(250), 5);
            default -> throw new IllegalArgumentException("load.profile must be smoke or full, got " + name);
        };
        return new LoadProfile(name,
                Integer.getInteger("load.rps", base.rps),
                seconds("load.warmup", base.warmup),
                seconds("load.steady", base.steady),
                seconds("load.outage", base.outage),
                seconds("load.recovery-timeout", base.recoveryTimeout),
                seconds("load.recovered", base.recovered),
                Duration.ofMillis(Long.getLong("load.upstream-latency-ms", base.upstreamLatency.toMillis())),
                Duration.ofMillis(Long.getLong("load.p99-ms", base.p99Bound.toMillis())),
                Integer.getInteger("load.spike-factor", base.spikeFactor));
    }

    /** After the primary recovers: the breaker's recovery timeout plus time for the half-open probes to close it. */
    Duration recovering() {
        return recoveryTimeout.plusSeconds(2);
    }

    Duration total() {
        return warmup.plus(steady).plus(outage).plus(recovering()).plus(recovered);
    }

    private static Duration seconds(String property, Duration fallback) {
        return Duration.ofSeconds(Long.getLong(property, fallback.toSeconds()));
    }

    private static Duration s(long seconds) {
        return Duration.ofSeconds(seconds);
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }
}
