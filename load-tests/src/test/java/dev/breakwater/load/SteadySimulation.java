package dev.breakwater.load;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

import java.util.Map;

import static dev.breakwater.load.GatewayStack.PRIMARY;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.scenario;

/** Constant load on a healthy chain: every answer from the primary, none failed, p99 under the bound. */
public class SteadySimulation extends Simulation {

    private final LoadProfile profile = LoadProfile.fromSystemProperties();
    private final GatewayStack stack = GatewayStack.start(profile);
    private final Phases phases = new Phases("warmup", Map.of("warmup", "", "steady", PRIMARY));

    {
        ScenarioBuilder clients = scenario("clients").exec(Requests.categorize(phases));
        ScenarioBuilder timeline = scenario("timeline").pause(profile.warmup())
                .exec(session -> { phases.enter("steady"); return session; });
        setUp(clients.injectOpen(constantUsersPerSec(profile.rps()).during(profile.warmup().plus(profile.steady()))),
                timeline.injectOpen(atOnceUsers(1)))
                .protocols(Requests.protocol(stack))
                .assertions(
                        global().failedRequests().count().is(0L),
                        details("steady").successfulRequests().count().gt(0L),
                        details("steady").responseTime().percentile(99.0).lt((int) profile.p99Bound().toMillis()));
    }

    @Override
    public void after() {
        stack.close();
    }
}
