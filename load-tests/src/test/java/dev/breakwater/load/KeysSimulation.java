package dev.breakwater.load;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Simulation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * Caller keys under load: three keys well within their rpm and one ({@value #OVER}) with rpm 1, all sending
 * at the same rate. The keys within their limits get no 429 (every answer a 200: which tier answered is the
 * other simulations' business); the over-limit key gets 429 {@code rate_limit_exceeded} with {@code Retry-After}
 * for at least 80 % of its requests: its rpm admits one a minute, and a Redis call timing out on a loaded
 * machine sends the gateway into per-replica limits for an episode, where the replica admits one more.
 */
public class KeysSimulation extends Simulation {

    static final String OVER = "over-limit";

    private final LoadProfile profile = LoadProfile.fromSystemProperties();
    private final CallerKeys keys = CallerKeys.of(keySet());
    private final GatewayStack stack = GatewayStack.start(profile, keys);

    private static Map<String, Long> keySet() {
        Map<String, Long> rpm = new LinkedHashMap<>();
        rpm.put("team-1", 1_000_000L);
        rpm.put("team-2", 1_000_000L);
        rpm.put("team-3", 1_000_000L);
        rpm.put(OVER, 1L);
        return rpm;
    }

    {
        double perKey = Math.max(1, profile.rps() / (double) keys.names().size());
        List<PopulationBuilder> populations = new ArrayList<>();
        for (String name : keys.names()) {
            populations.add(scenario(name).exec(categorize(name)).injectOpen(
                    constantUsersPerSec(perKey).during(profile.warmup().plus(profile.steady()))));
        }
        List<io.gatling.javaapi.core.Assertion> assertions = new ArrayList<>();
        for (String name : keys.names()) {
            if (name.equals(OVER)) {
                assertions.add(details(name).successfulRequests().percent().gte(80.0));
            } else {
                assertions.add(details(name).failedRequests().count().is(0L));
                assertions.add(details(name).successfulRequests().count().gt(0L));
            }
        }
        setUp(populations).protocols(Requests.protocol(stack)).assertions(assertions);
    }

    /** A keyed categorization; the over-limit key's answers pass only as a 429 naming the exceeded rate limit. */
    private ChainBuilder categorize(String name) {
        var request = http(name).post("/v1/categorize").header("Authorization", "Bearer " + keys.secret(name))
                .body(StringBody("{\"text\":\"Train ticket Amsterdam to Brussels\"}"));
        return exec(name.equals(OVER)
                ? request.check(status().is(429), jsonPath("$.error.code").is("rate_limit_exceeded"),
                        header("Retry-After").exists(), header("x-ratelimit-remaining-requests").is("0"))
                : request.check(status().is(200),
                        header("x-ratelimit-limit-requests").is("1000000")));
    }

    @Override
    public void after() {
        stack.close();
    }
}
