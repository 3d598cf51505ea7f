package dev.breakwater.telemetry;

import dev.breakwater.resilience.BreakerState;
import dev.breakwater.resilience.BreakerTransition;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.util.Map;

/**
 * One log record per breaker transition: ERROR when a breaker opens, INFO when it probes or closes.
 * The fields travel as MDC entries so the JSON format ({@code quarkus.log.console.json.enabled=true})
 * shows them as keys; the plain format repeats them in the message.
 */
@Singleton
public class BreakerTransitionLog {

    static final String CATEGORY = "dev.breakwater.breaker";
    private static final Logger LOG = Logger.getLogger(CATEGORY);

    void onTransition(@Observes BreakerTransition t) {
        Map<String, String> fields = Map.of(
                "service", t.service(),
                "from", t.from().id(),
                "to", t.to().id(),
                "failure_count", Integer.toString(t.failureCount()),
                "last_failure", t.lastFailure() == null ? "none" : t.lastFailure().toString());
        fields.forEach(MDC::put);
        try {
            LOG.logf(t.to() == BreakerState.OPEN ? Logger.Level.ERROR : Logger.Level.INFO,
                    "circuit breaker %s %s (%s -> %s, failure_count=%s, last_failure=%s)", t.service(), verb(t),
                    fields.get("from"), fields.get("to"), fields.get("failure_count"), fields.get("last_failure"));
        } finally {
            fields.keySet().forEach(MDC::remove);
        }
    }

    private static String verb(BreakerTransition t) {
        return switch (t.to()) {
            case OPEN -> "OPEN";
            case HALF_OPEN -> "half-open, probing";
            case CLOSED -> t.manual() ? "closed by reset" : "recovered";
        };
    }
}
