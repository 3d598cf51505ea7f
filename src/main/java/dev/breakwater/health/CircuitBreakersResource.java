package dev.breakwater.health;

import dev.breakwater.resilience.BreakerRegistry;
import dev.breakwater.resilience.BreakerView;
import dev.breakwater.resilience.BreakerState;
import dev.breakwater.resilience.ResilientClient;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** GET /health/circuit-breakers: every breaker's state and counts, for a quick look during an incident. */
@Path("/health/circuit-breakers")
public class CircuitBreakersResource {

    private final BreakerRegistry breakers;
    private final Clock clock;

    public CircuitBreakersResource(BreakerRegistry breakers, Clock clock) {
        this.breakers = breakers;
        this.clock = clock;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Report list() {
        Instant now = clock.instant();
        List<BreakerView> views = breakers.all().stream()
                .sorted(Comparator.comparing(ResilientClient::service))
                .map(c -> BreakerView.of(c, now)).toList();
        long open = views.stream().filter(v -> !v.state().equals(BreakerState.CLOSED.id())).count();
        return new Report(open, views);
    }

    /** {@code notClosed}: breakers open or half-open. */
    public record Report(long notClosed, List<BreakerView> breakers) {
    }
}
