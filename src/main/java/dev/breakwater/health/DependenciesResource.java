package dev.breakwater.health;

import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/**
 * GET /health/dependencies: Redis and every provider, reachable or not, with latency. Always 200: the
 * gateway answers (degraded) with every dependency down; {@code status} says {@code degraded} then.
 */
@Path("/health/dependencies")
public class DependenciesResource {

    private final DependencyProbes probes;

    public DependenciesResource(DependencyProbes probes) {
        this.probes = probes;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RunOnVirtualThread
    public Report probe() {
        List<DependencyStatus> all = probes.probeAll();
        return new Report(all.stream().anyMatch(DependencyStatus::down) ? "degraded" : "up", all);
    }

    public record Report(String status, List<DependencyStatus> dependencies) {
    }
}
