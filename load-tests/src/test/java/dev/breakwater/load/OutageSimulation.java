package dev.breakwater.load;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

import java.time.Duration;
import java.util.Map;

import static dev.breakwater.load.GatewayStack.PRIMARY;
import static dev.breakwater.load.GatewayStack.SECONDARY;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.scenario;

/**
 * Steady traffic while the primary model fails for a while halfway through, then recovers:
 * <pre>
 *   warmup | steady | failover | outage | recovering | recovered
 *                         ^ primary answers 503       ^ primary healthy again
 * </pre>
 * The phases around each switch ({@code failover}: a second either side of the primary's failure;
 * {@code recovering}: the outage's last second, the breaker's recovery timeout and the half-open probes)
 * expect no particular model: a request sent just before a switch may reach the upstream after it.
 * No client request may fail; answers come from the primary before the outage, from the secondary
 * during it (never the local fallback), and from the primary again once its breaker has closed; the
 * p99 stays under the profile's bound during and after the outage.
 */
public class OutageSimulation extends Simulation {

    private static final Duration SWITCH_MARGIN = Duration.ofSeconds(1);

    private final LoadProfile profile = LoadProfile.fromSystemProperties();
    private final GatewayStack stack = GatewayStack.start(profile);
    private final Phases phases = new Phases("warmup", Map.of(
            "warmup", "", "steady", PRIMARY, "failover", "", "outage", SECONDARY, "recovering", "", "recovered", PRIMARY));

    private final ScenarioBuilder clients = scenario("clients").exec(Requests.categorize(phases));

    private final ScenarioBuilder timeline = scenario("timeline")
            .pause(profile.warmup())
            .exec(session -> { phases.enter("steady"); return session; })
            .pause(profile.steady().minus(SWITCH_MARGIN))
            .exec(session -> { phases.enter("failover"); return session; })
            .pause(SWITCH_MARGIN)
            .exec(session -> { stack.primaryFails(); return session; })
            .pause(SWITCH_MARGIN)
            .exec(session -> { phases.enter("outage"); return session; })
            .pause(profile.outage().minus(SWITCH_MARGIN.multipliedBy(2)))
            .exec(session -> { phases.enter("recovering"); return session; })
            .pause(SWITCH_MARGIN)
            .exec(session -> { stack.primaryRecovers(); return session; })
            .pause(profile.recovering())
            .exec(session -> { phases.enter("recovered"); return session; });

    {
        System.out.printf("OutageSimulation %s%n", profile);
        setUp(clients.injectOpen(constantUsersPerSec(profile.rps()).during(profile.total())),
                timeline.injectOpen(atOnceUsers(1)))
                .protocols(Requests.protocol(stack))
                .assertions(
                        global().failedRequests().count().is(0L),
                        details("outage").successfulRequests().count().gt(0L),
                        details("recovered").successfulRequests().count().gt(0L),
                        details("steady").responseTime().percentile(99.0).lt(bound()),
                        details("failover").responseTime().percentile(99.0).lt(bound()),
                        details("outage").responseTime().percentile(99.0).lt(bound()),
                        details("recovered").responseTime().percentile(99.0).lt(bound()));
    }

    private int bound() {
        return (int) profile.p99Bound().toMillis();
    }

    @Override
    public void after() {
        System.out.printf("upstream requests: primary=%d secondary=%d%n",
                stack.primary.totalRequests(), stack.secondary.totalRequests());
        stack.close();
    }
}
