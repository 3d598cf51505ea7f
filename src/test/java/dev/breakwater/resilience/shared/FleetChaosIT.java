package dev.breakwater.resilience.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.breakwater.testing.Poll;
import dev.breakwater.testing.RedisCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Three gateway processes on a six-node Redis Cluster (three primaries, three replicas), through the Quarkus
 * client's cluster mode, in front of one FakeUpstream; replica C's clock runs 30 s ahead
 * ({@code breakwater.clock-offset}). The upstream fails and recovers three times while traffic runs on every
 * replica; between the second and the third, the cluster primary that holds the breaker keys is killed (its
 * replica takes over) and started again. Asserts: no caller ever gets an error; an opening reaches the other
 * replicas on the channel (within 1 s on a quiet machine, sooner than a re-join could tell them); at most one
 * probe is in flight fleet-wide while the model recovers (counted at the upstream); every replica closes after each recovery; cached answers come back after the fail-over. Openings
 * are timed only once every replica reports (readiness) that it joined the breaker channel: the fail-over
 * ends every replica's subscription, and what is asserted is that each joins again, then shares promptly.
 */
// Alone on the machine (the other ITs run two at a time, pom.xml): its traffic and fail-over load both cores, and it
// times how soon an opening reaches every replica.
@Isolated
class FleetChaosIT {

    private static final Path WORK = Path.of("target/fleet-chaos-it");
    private static RedisCluster cluster;
    private static FleetDrill fleet;

    @BeforeAll
    static void startFleet() throws Exception {
        cluster = RedisCluster.start(WORK.resolve("redis"));
        fleet = new FleetDrill(WORK);
        fleet.launch(Map.of("quarkus.redis.hosts", cluster.hosts(), "quarkus.redis.client-type", "cluster",
                        "quarkus.log.category.\"dev.breakwater.resilience.shared\".level", "DEBUG"),
                List.of(Map.of(), Map.of(), Map.of("breakwater.clock-offset", "30s")));
        fleet.awaitJoined("the breaker channel");
    }

    @AfterAll
    static void stopFleet() throws InterruptedException {
        if (fleet != null) {
            fleet.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theFleetSharesOpeningsProbesOnceAtATimeAndRidesOutAPrimaryFailover() throws Exception {
        long start = System.nanoTime();
        String a = fleet.replicas.get(0);
        String c = fleet.replicas.get(2);
        List<String> cached = new ArrayList<>();
        for (String replica : fleet.replicas) {
            String text = "Rail tickets for the " + UUID.randomUUID() + " conference";
            fleet.warm(replica, text);
            cached.add(text);
        }
        fleet.startTraffic();

        // 1. A opens: B and C (30 s ahead) follow at once; then one probe at a time until all close.
        long seen = fleet.openOn(a);
        assertTrue(seen < FleetDrill.SHARED_WITHIN_MILLIS, "the opening reached every replica on the channel, took " + seen + " ms");
        int probes = fleet.recover();
        assertEquals(1, probes, "probes in flight at once while primary recovered (opened by A)");

        // 2. Every replica sees the failures at once (C, 30 s ahead, too): the lease still lets one probe.
        fleet.openEverywhere();
        probes = fleet.recover();
        assertEquals(1, probes, "probes in flight at once while primary recovered (opened everywhere)");

        // 3. The primary holding the breaker keys dies; its replica takes over; it comes back as a replica.
        String key = "{" + fleet.prefix + ":" + FleetDrill.SERVICE + "}:breaker";
        int owner = cluster.primaryOf(key);
        assertTrue(owner > 0, "a primary serves the breaker keys' slot");
        cluster.kill(owner);
        Poll.await(() -> cluster.healthy() && cluster.primaryOf(key) > 0 && cluster.primaryOf(key) != owner, 60_000,
                "a replica took over the breaker keys' slot");
        assertNotEquals(owner, cluster.primaryOf(key));
        cluster.restart(owner);
        Poll.await(cluster::healthy, 60_000, "the cluster is whole again");
        fleet.awaitJoined("the breaker channel after the fail-over");
        for (int i = 0; i < fleet.replicas.size(); i++) {
            fleet.awaitCacheHit(fleet.replicas.get(i), cached.get((i + 1) % cached.size()));
        }

        // 4. After the fail-over: C opens this time, A and B follow at once, one probe, all close.
        seen = fleet.openOn(c);
        assertTrue(seen < FleetDrill.SHARED_WITHIN_MILLIS, "after the fail-over the opening reached every replica on the channel, took "
                + seen + " ms");
        probes = fleet.recover();
        assertEquals(1, probes, "probes in flight at once while primary recovered after the fail-over");

        fleet.trafficOn(false);
        assertEquals(List.of(), fleet.callerErrors(), "no caller saw an error");
        System.out.printf("fleet chaos: %d answers, no caller error, %d s%n", fleet.answered(),
                (System.nanoTime() - start) / 1_000_000_000);
    }
}
