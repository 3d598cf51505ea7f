package dev.breakwater.status;

import dev.breakwater.resilience.BreakerView;
import dev.breakwater.chain.ChainRegistry;
import dev.breakwater.chain.ModelEndpoint;
import dev.breakwater.resilience.BreakerRegistry;
import dev.breakwater.resilience.BreakerTransition;
import dev.breakwater.resilience.ResilientClient;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /status}: one self-refreshing HTML page with the chains, every breaker's state and the
 * latest transitions and answers. Read-only and without secrets, so it is not behind the admin token.
 */
@Path("/status")
public class StatusResource {

    static final int REFRESH_SECONDS = 3;
    static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'none'";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance status(StatusView view);
    }

    private final ChainRegistry chains;
    private final BreakerRegistry breakers;
    private final RecentAnswers answers;
    private final Clock clock;

    public StatusResource(ChainRegistry chains, BreakerRegistry breakers, RecentAnswers answers, Clock clock) {
        this.chains = chains;
        this.breakers = breakers;
        this.answers = answers;
        this.clock = clock;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response status() {
        return Response.ok(Templates.status(view(clock.instant())).render())
                // The page is self-contained: one inline <style>, no script, no images, no forms.
                .header("Content-Security-Policy", CSP)
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Cache-Control", "no-store")
                .build();
    }

    private StatusView view(Instant now) {
        List<StatusView.Chain> chainViews = chains.current().chains().values().stream()
                .map(c -> new StatusView.Chain(c.name(), c.models().stream().flatMap(m -> m.endpoints().stream()).map(StatusResource::link).toList()))
                .toList();
        List<StatusView.Breaker> breakerViews = breakers.all().stream()
                .sorted(Comparator.comparing(ResilientClient::service))
                .map(c -> breaker(BreakerView.of(c, now), now))
                .toList();
        List<StatusView.Transition> transitions = breakers.recentTransitions().stream()
                .map(StatusResource::transition).toList();
        List<StatusView.Answer> served = answers.all().stream().map(StatusResource::answer).toList();
        return new StatusView(TIME.format(now) + " UTC", REFRESH_SECONDS, chainViews, breakerViews, transitions, served);
    }

    private static StatusView.Answer answer(RecentAnswers.Served s) {
        return new StatusView.Answer(TIME.format(s.at()), s.endpoint(), s.outcome().source(), s.outcome().degraded(),
                s.outcome().modelAnswered() == null ? "–" : s.outcome().modelAnswered(), s.outcome().attempts().size(),
                s.latencyMs(), s.status());
    }

    private static StatusView.Link link(ModelEndpoint m) {
        return new StatusView.Link(m.service(), m.resilience().reportedState().id(), m.available() ? null : m.unavailableReason());
    }

    private static StatusView.Breaker breaker(BreakerView b, Instant now) {
        String lastFailure = b.lastFailure() == null ? "–"
                : TIME.format(b.lastFailure()) + " (" + ago(Duration.between(b.lastFailure(), now)) + ")";
        String nextProbe = b.secondsToNextProbe() == null ? "–"
                : b.secondsToNextProbe() == 0 ? "now" : "in " + b.secondsToNextProbe() + " s";
        return new StatusView.Breaker(b.service(), b.state(), label(b.state()), b.failureCount(),
                b.settings().failureThreshold(), b.totalCalls(), b.failedCalls(), b.blockedCalls(),
                String.format(Locale.ROOT, "%.0f %%", b.failureRate() * 100), lastFailure, nextProbe,
                b.openedByPeer());
    }

    private static StatusView.Transition transition(BreakerTransition t) {
        return new StatusView.Transition(TIME.format(t.at()), t.service(), label(t.from().id()), label(t.to().id()),
                t.failureCount(), t.manual());
    }

    private static String label(String stateId) {
        return stateId.replace('_', '-');
    }

    private static String ago(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s < 120 ? s + " s ago" : s / 60 + " min ago";
    }
}
