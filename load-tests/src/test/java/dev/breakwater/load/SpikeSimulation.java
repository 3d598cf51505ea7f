package dev.breakwater.load;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

import java.time.Duration;
import java.util.Map;

import static dev.breakwater.load.GatewayStack.PRIMARY;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;

/**
 * Base load, a sudden spike to {@code load.spike-factor} times the rate, then base load again. No
 * request may fail during the spike (it may be slower: its p99 bound is four times the normal one),
 * and afterwards the primary answers everything again within the normal bound: the spike must not
 * have opened its breaker for good.
 */
public class SpikeSimulation extends Simulation {

    private static final Duration RAMP = Duration.ofSeconds(2);

    private final LoadProfile profile = LoadProfile.fromSystemProperties();
    private final GatewayStack stack = GatewayStack.start(profile);
    private final Phases phases = new Phases("warmup", Map.of("warmup", "", "spike", "", "after-spike", "", "settled", PRIMARY));

    {
        int bound = (int) profile.p99Bound().toMillis();
        int peak = profile.rps() * profile.spikeFactor();
        Duration settle = profile.recovering();
        ScenarioBuilder clients = scenario("clients").exec(Requests.categorize(phases));
        ScenarioBuilder timeline = scenario("timeline")
                .pause(profile.warmup())
                .exec(session -> { phases.enter("spike"); return session; })
                .pause(RAMP.plus(profile.steady()))
                .exec(session -> { phases.enter("after-spike"); return session; })
                .pause(settle)
                .exec(session -> { phases.enter("settled"); return session; });
        setUp(clients.injectOpen(
                        constantUsersPerSec(profile.rps()).during(profile.warmup()),
                        rampUsersPerSec(profile.rps()).to(peak).during(RAMP),
                        constantUsersPerSec(peak).during(profile.steady()),
                        constantUsersPerSec(profile.rps()).during(settle.plus(profile.recovered()))),
                timeline.injectOpen(atOnceUsers(1)))
                .protocols(Requests.protocol(stack))
                .assertions(
                        global().failedRequests().count().is(0L),
                        details("spike").responseTime().percentile(99.0).lt(bound * 4),
                        details("settled").successfulRequests().count().gt(0L),
                        details("settled").responseTime().percentile(99.0).lt(bound));
    }

    @Override
    public void after() {
        stack.close();
    }
}
