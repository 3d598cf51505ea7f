package dev.breakwater.keys;

import dev.breakwater.testing.FakeUpstream;
import dev.breakwater.testing.GatewayProcesses;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Caller keys on two gateway processes from the packaged jar, sharing the real Redis at 127.0.0.1:6379 under a
 * prefix of this run's own, in front of one FakeUpstream: a key made on A works on B, rpm holds across both,
 * a model or fallbacks entry outside the key is refused before any upstream call, and a key revoked on A is
 * refused by B through the keys channel (within a second on a quiet machine; asserted as well before the
 * periodic re-read could have done it). Runs in {@code verify} (Failsafe), after {@code package}.
 */
class TwoReplicasKeysIT {

    private static final String PREFIX = "breakwater-keys-it-" + UUID.randomUUID();
    private static final String ADMIN = "it-admin-" + UUID.randomUUID();
    /** A third of the default auth.sync-interval: sooner than that, only the keys channel can have told a replica. */
    private static final long BEFORE_RESYNC = 10_000;
    private static FakeUpstream upstream;
    private static GatewayProcesses gateways;
    private static String a;
    private static String b;

    @BeforeAll
    static void startTwoReplicas() throws Exception {
        gateways = new GatewayProcesses(Path.of("target/keys-it"));
        upstream = FakeUpstream.start();
        Path yaml = Files.writeString(gateways.work().resolve("gateway.yaml"), """
                breakwater:
                  request-deadline: 10s
                  resilience:
                    retry: {max-retries: 0, base-delay: 10ms, max-delay: 50ms, exponential-base: 2, min-delay: 1ms}
                  models:
                    - {name: primary, provider: openai, model: gpt-4o, base-url: '%s/v1', api-key-env: IT_UPSTREAM_KEY,
                       price: {input: 2.5, output: 10}}
                    - {name: claude, provider: openai, model: claude, base-url: '%s/v1', api-key-env: IT_UPSTREAM_KEY}
                    - {name: local, provider: local, model: all-minilm-l6-v2-q}
                  chains:
                    categorizer: {models: [primary, local]}
                    chat: {models: [primary]}
                  # Redis steps get seconds: a limiter step timed out on a loaded machine counts locally instead.
                  cache: {enabled: false, timeout: 3s}
                  auth: {mode: keys, redis-prefix: %s}
                """.formatted(upstream.baseUrl(), upstream.baseUrl(), PREFIX));
        Map<String, String> env = Map.of("IT_UPSTREAM_KEY", "sk-it", "BREAKWATER_ADMIN_TOKEN", ADMIN);
        List<String> replicas = gateways.launchTwo(yaml, env, PREFIX + ":keys:events");
        a = replicas.get(0);
        b = replicas.get(1);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (gateways != null) {
            gateways.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void rpmHoldsAcrossReplicasModelsAreCheckedFirstAndRevocationReachesThePeerThroughTheChannel() throws Exception {
        JsonPath key = JsonPath.from(send(a, "POST", "/admin/keys", "Bearer " + ADMIN,
                "{\"name\": \"it-team\", \"models\": [\"chat\"], \"rpm\": 6}", 201).body());
        String secret = "Bearer " + key.getString("key");
        // Only the keys channel tells B this soon: its table is re-read every sync-interval (30 s).
        gateways.await(() -> statusOf(b, "GET", "/v1/models", secret, null) == 200, BEFORE_RESYNC, "B knows the key made on A");

        freshMinute();
        for (int i = 0; i < 3; i++) {
            send(a, "POST", "/v1/chat/completions", secret, chat("chat"), 200);
            send(b, "POST", "/v1/chat/completions", secret, chat("chat"), 200);
        }
        HttpResponse<String> seventh = send(b, "POST", "/v1/chat/completions", secret, chat("chat"), 429);
        assertEquals("rate_limit_exceeded", JsonPath.from(seventh.body()).getString("error.code"));
        assertNotNull(seventh.headers().firstValue("Retry-After").orElse(null));
        assertEquals("0", seventh.headers().firstValue("x-ratelimit-remaining-requests").orElseThrow());

        long calls = upstream.totalRequests();
        HttpResponse<String> outside = send(b, "POST", "/v1/chat/completions", secret, chat("primary"), 403);
        assertEquals("model_not_allowed", JsonPath.from(outside.body()).getString("error.code"));
        send(a, "POST", "/v1/chat/completions", secret,
                "{\"model\":\"chat\",\"fallbacks\":[\"claude\"],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 403);
        assertEquals(calls, upstream.totalRequests(), "refused before any upstream call");

        send(a, "DELETE", "/admin/keys/" + key.getString("id"), "Bearer " + ADMIN, null, 204);
        long millis = gateways.await(() -> statusOf(b, "GET", "/v1/models", secret, null) == 401, BEFORE_RESYNC,
                "B refuses the revoked key");
        System.out.printf("keys: B refused the key %d ms after A revoked it%n", millis);
    }

    /**
     * A fixed window must not turn over between the first and the seventh call: start in the first half of a
     * minute (seven calls on a loaded machine can take more than a quarter of one).
     */
    private static void freshMinute() throws InterruptedException {
        long intoMinute = System.currentTimeMillis() % 60_000;
        if (intoMinute > 30_000) {
            Thread.sleep(60_000 - intoMinute + 200);
        }
    }

    private static String chat(String model) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
    }

    private static int statusOf(String gateway, String method, String path, String authorization, String body) {
        try {
            return send(gateway, method, path, authorization, body, -1).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static HttpResponse<String> send(String gateway, String method, String path, String authorization, String body,
                                             int expected) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway + path)).timeout(Duration.ofSeconds(15))
                .header("Authorization", authorization)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = GatewayProcesses.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (expected > 0) {
            assertEquals(expected, response.statusCode(), method + " " + path + ": " + response.body());
        }
        return response;
    }
}
