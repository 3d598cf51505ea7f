package dev.breakwater.admin;

import dev.breakwater.resilience.BreakerView;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.api.ProblemException;
import dev.breakwater.chain.ChainRegistry;
import dev.breakwater.chain.RoutedModels;
import dev.breakwater.resilience.BreakerRegistry;
import dev.breakwater.resilience.ResiliencePolicy;
import dev.breakwater.resilience.ResilientClient;
import io.quarkus.logging.Log;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Clock;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Every circuit breaker, and the operator's levers on them: reset one or all, rebuild one with new
 * settings. Manual resets and rebuilds emit a {@code BreakerTransition} with {@code manual=true}
 * (when the state changes), so they are logged and counted like any other transition.
 */
@Path("/admin/circuit-breakers")
@AdminOnly
@Produces(MediaType.APPLICATION_JSON)
public class BreakerAdminResource {

    private final BreakerRegistry breakers;
    private final ChainRegistry chains;
    private final RoutedModels routed;
    private final Clock clock;

    public BreakerAdminResource(BreakerRegistry breakers, ChainRegistry chains, RoutedModels routed, Clock clock) {
        this.breakers = breakers;
        this.chains = chains;
        this.routed = routed;
        this.clock = clock;
    }

    @GET
    public List<BreakerView> list() {
        return breakers.all().stream().sorted(Comparator.comparing(ResilientClient::service))
                .map(c -> BreakerView.of(c, clock.instant())).toList();
    }

    @POST
    @Path("/reset")
    public List<BreakerView> resetAll() {
        Collection<ResilientClient> all = breakers.all();
        all.forEach(ResilientClient::reset);
        Log.infof("admin: reset every circuit breaker (%d)", all.size());
        return list();
    }

    @POST
    @Path("/{name}/reset")
    public BreakerView reset(@PathParam("name") String name) {
        ResilientClient client = find(name);
        String before = client.reportedState().id();
        client.reset();
        Log.infof("admin: reset circuit breaker %s (was %s)", name, before);
        return BreakerView.of(client, clock.instant());
    }

    @PUT
    @Path("/{name}/config")
    @Consumes(MediaType.APPLICATION_JSON)
    public BreakerView configure(@PathParam("name") String name, ObjectNode body) {
        ResilientClient current = find(name);
        ResiliencePolicy policy = BreakerConfigChange.apply(current.policy(), body);
        ResilientClient fresh = routed.isRouted(name) ? routed.replaceBreaker(name, policy) : chains.replaceBreaker(name, policy);
        Log.infof("admin: rebuilt circuit breaker %s (was %s) with %s (before: %s)", name, current.reportedState().id(),
                BreakerConfigChange.describe(policy), BreakerConfigChange.describe(current.policy()));
        return BreakerView.of(fresh, clock.instant());
    }

    private ResilientClient find(String name) {
        return breakers.find(name).orElseThrow(() -> new ProblemException(404, "Not Found",
                "no circuit breaker named '" + name + "'")
                .with("available", breakers.all().stream().map(ResilientClient::service).sorted().toList()));
    }
}
