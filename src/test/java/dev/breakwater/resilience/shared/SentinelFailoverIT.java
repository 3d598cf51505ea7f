package dev.breakwater.resilience.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.breakwater.testing.Poll;
import dev.breakwater.testing.RedisSentinels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The smaller Sentinel drill: two gateway processes on a Sentinel-managed primary and replica (three
 * sentinels) through the Quarkus client's sentinel mode. An opening is shared and recovered with one probe,
 * the primary is killed and the sentinels promote its replica, then cached answers and shared openings work
 * through the new primary; no caller sees an error.
 */
// Alone on the machine (the other ITs run two at a time, pom.xml): its traffic and fail-over load both cores, and it
// times how soon an opening reaches the other replica.
@Isolated
class SentinelFailoverIT {

    private static final Path WORK = Path.of("target/sentinel-failover-it");
    private static RedisSentinels redis;
    private static FleetDrill fleet;

    @BeforeAll
    static void startFleet() throws Exception {
        redis = RedisSentinels.start(WORK.resolve("redis"));
        fleet = new FleetDrill(WORK);
        fleet.launch(Map.of("quarkus.redis.hosts", redis.hosts(), "quarkus.redis.client-type", "sentinel",
                "quarkus.redis.master-name", RedisSentinels.MASTER_NAME, "quarkus.redis.auto-failover", "true"),
                List.of(Map.of(), Map.of()));
        fleet.awaitJoined("the breaker channel");
    }

    @AfterAll
    static void stopFleet() throws InterruptedException {
        if (fleet != null) {
            fleet.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void openingsAndCachedAnswersSurviveASentinelFailover() throws Exception {
        String a = fleet.replicas.get(0);
        String b = fleet.replicas.get(1);
        String text = "Courier charges for " + UUID.randomUUID();
        fleet.warm(a, text);
        fleet.startTraffic();

        long seen = fleet.openOn(a);
        assertTrue(seen < FleetDrill.SHARED_WITHIN_MILLIS, "the opening reached B on the channel, took " + seen + " ms");
        assertEquals(1, fleet.recover(), "probes in flight at once while primary recovered");

        redis.kill(redis.primary());
        Poll.await(() -> redis.currentPrimary() == redis.replica(), 60_000, "the sentinels promoted the replica");
        fleet.awaitJoined("the breaker channel after the fail-over");
        fleet.awaitCacheHit(b, text);

        seen = fleet.openOn(b);
        assertTrue(seen < FleetDrill.SHARED_WITHIN_MILLIS, "after the fail-over the opening reached A on the channel, took " + seen + " ms");
        assertEquals(1, fleet.recover(), "probes in flight at once after the fail-over");

        fleet.trafficOn(false);
        assertEquals(List.of(), fleet.callerErrors(), "no caller saw an error");
    }
}
