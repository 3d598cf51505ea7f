package dev.breakwater.resilience.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.breakwater.testing.FakeUpstream;
import dev.breakwater.testing.Fault;
import dev.breakwater.testing.GatewayProcesses;
import io.restassured.path.json.JsonPath;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fleet of gateway processes on one HA Redis in front of one FakeUpstream, and the drill steps the fleet
 * tests share: traffic on every replica (each answer must be a 200), opening the primary model's breaker on one
 * replica, recovering it with slow probes while the upstream counts how many are in flight at once.
 */
final class FleetDrill implements AutoCloseable {

    static final String SERVICE = "primary";
    /** Long enough that the opener still shows open after the request that opened it (it goes on to the local model). */
    static final Duration RECOVERY = Duration.ofSeconds(10);
    /**
     * A member that stops hearing its own hellos re-joins after 5 s and reads the openings stored in Redis: an
     * opening shown sooner travelled on the channel (within a second on a quiet machine).
     */
    static final long SHARED_WITHIN_MILLIS = 5_000;
    private static final Duration SLOW_PROBE = Duration.ofMillis(300);

    final String prefix = "breakwater-fleet-" + UUID.randomUUID();
    final FakeUpstream upstream = FakeUpstream.start();
    final GatewayProcesses gateways;
    final List<String> replicas = new ArrayList<>();
    private final Path work;
    private final List<Thread> traffic = new ArrayList<>();
    private final Queue<String> callerErrors = new ConcurrentLinkedQueue<>();
    private final AtomicLong answered = new AtomicLong();
    private volatile boolean trafficOn;
    private volatile boolean stopped;

    FleetDrill(Path work) throws IOException {
        this.work = work;
        this.gateways = new GatewayProcesses(work);
    }

    /** Starts replicas on {@code redis} ({@code quarkus.redis.*} properties), each with its own extra properties. */
    void launch(Map<String, String> redis, List<Map<String, String>> replicaProperties) throws Exception {
        Path yaml = work.resolve("gateway.yaml");
        Files.writeString(yaml, yaml());
        for (int i = 0; i < replicaProperties.size(); i++) {
            Map<String, String> properties = new java.util.HashMap<>(redis);
            properties.putAll(replicaProperties.get(i));
            replicas.add(gateways.launch(Character.toString('a' + i), yaml, properties));
        }
        gateways.awaitReady(replicas);
    }

    private String yaml() {
        return yaml(prefix, RECOVERY, upstream.baseUrl(), true);
    }

    /** A gateway with {@value #SERVICE} (on the upstream) then the local model, sharing breakers under {@code prefix}. */
    static String yaml(String prefix, Duration recovery, String upstreamUrl, boolean cache) {
        return """
                breakwater:
                  request-deadline: 10s
                  min-quality: 0.0
                  categorize: {chain: categorizer}
                  resilience:
                    shared-state: redis
                    shared-prefix: %s
                    circuit-breaker: {failure-threshold: 2, recovery-timeout: %dms, success-threshold: 1}
                    retry: {max-retries: 0, base-delay: 10ms, max-delay: 50ms, exponential-base: 2, min-delay: 1ms}
                    timeout: {default: 5s, llm-api: 5s}
                  models:
                    - name: %s
                      provider: openai
                      model: gpt-4o
                      base-url: %s/v1
                      api-key-env: %s
                    - name: local
                      provider: local
                      model: all-minilm-l6-v2-q
                  chains:
                    categorizer: {models: [%s, local]}
                  cache:
                    enabled: %s
                    timeout: 3s
                    circuit-breaker: {failure-threshold: 5, recovery-timeout: 1s, success-threshold: 1}
                """.formatted(prefix, recovery.toMillis(), SERVICE, upstreamUrl, GatewayProcesses.KEY_ENV, SERVICE, cache);
    }

    /** One request loop per replica, each text new (so never a cache answer), paused and resumed by the drill. */
    void startTraffic() {
        trafficOn = true;
        for (String replica : replicas) {
            traffic.add(Thread.ofPlatform().daemon().name("traffic-" + replica).start(() -> {
                while (!stopped) {
                    if (trafficOn) {
                        categorize(replica, "Taxi to the airport for a client visit " + UUID.randomUUID());
                    }
                    pause(50);
                }
            }));
        }
    }

    void trafficOn(boolean on) {
        trafficOn = on;
        pause(on ? 0 : 300); // requests in flight finish
    }

    /** Answers of the traffic and of the drill's own requests; any other than a 200 is kept as a caller error. */
    JsonPath categorize(String replica, String text) {
        try {
            HttpResponse<String> response = GatewayProcesses.categorize(replica, text);
            if (response.statusCode() != 200) {
                callerErrors.add(replica + " " + response.statusCode() + " " + response.body());
                return JsonPath.from("{}");
            }
            answered.incrementAndGet();
            return JsonPath.from(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return JsonPath.from("{}");
        } catch (AssertionError e) {
            callerErrors.add(replica + " " + e.getMessage());
            return JsonPath.from("{}");
        }
    }

    String state(String replica) {
        return GatewayProcesses.breakerField(replica, SERVICE, "state");
    }

    /**
     * Until every replica's readiness says it joined the breaker channel (Redis confirmed its subscription):
     * generous, as a fail-over and a loaded machine both take their time, but bounded.
     */
    void awaitJoined(String what) throws InterruptedException {
        for (String replica : replicas) {
            gateways.await(() -> "joined".equals(GatewayProcesses.readinessData(replica, "redis-channels", "breaker")),
                    60_000, replica + " joined " + what);
        }
    }

    /**
     * The upstream fails; {@code opener} alone gets requests until its breaker opens; returns how long the
     * slowest other replica took to show the opening (traffic is off meanwhile, so theirs is the peer's).
     */
    long openOn(String opener) throws InterruptedException {
        trafficOn(false);
        upstream.setFault(Fault.serviceUnavailable());
        for (int i = 0; i < 2; i++) {
            categorize(opener, "Hotel night for the audit team " + UUID.randomUUID());
        }
        assertEquals("open", state(opener), opener + " opened after 2 failures");
        long slowest = 0;
        for (String peer : replicas) {
            if (!peer.equals(opener)) {
                slowest = Math.max(slowest, gateways.await(() -> !"closed".equals(state(peer)), 20_000,
                        peer + " shows " + opener + "'s opening"));
                assertEquals("true", GatewayProcesses.breakerField(peer, SERVICE, "opened_by_peer"), peer);
            }
        }
        return slowest;
    }

    /** The upstream fails under traffic on every replica at once, until every replica shows the model open. */
    void openEverywhere() throws InterruptedException {
        upstream.setFault(Fault.serviceUnavailable());
        trafficOn(true);
        for (String replica : replicas) {
            gateways.await(() -> !"closed".equals(state(replica)), 20_000, replica + " open");
        }
    }

    /**
     * The upstream answers again, slowly, under traffic: returns the most requests it had in flight at once
     * up to the first successful answer (the probes), once every replica closed.
     */
    int recover() throws InterruptedException {
        upstream.setFault(Fault.slowFirstByte(SLOW_PROBE));
        upstream.watchUntilFirstSuccess();
        trafficOn(true);
        for (String replica : replicas) {
            gateways.await(() -> "closed".equals(state(replica)), 30_000, replica + " closed after the recovery");
        }
        assertTrue(upstream.watchEnded(), "a probe succeeded");
        upstream.setFault(Fault.ok());
        return upstream.highWater();
    }

    /**
     * Asks {@code text} until primary answers it (so it is cached): a cold replica on a loaded machine may
     * time out on its first call and answer from the local model, which is never cached.
     */
    void warm(String replica, String text) throws InterruptedException {
        gateways.await(() -> "llm".equals(categorize(replica, text).getString("source")), 30_000,
                replica + " answers from primary");
    }

    /** Answers of {@code text} asked on each replica until one comes from the cache (Redis may just be back). */
    void awaitCacheHit(String replica, String text) throws InterruptedException {
        gateways.await(() -> "cache".equals(categorize(replica, text).getString("source")), 30_000,
                replica + " answers a cached text from the cache");
    }

    List<String> callerErrors() {
        return List.copyOf(callerErrors);
    }

    long answered() {
        return answered.get();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        for (Thread t : traffic) {
            t.join(20_000);
        }
        gateways.close();
        upstream.close();
    }
}
