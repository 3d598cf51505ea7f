package dev.breakwater.telemetry;

import java.util.ArrayList;
import java.util.List;

/** The eight circuit_breaker_* families a breaker must show from its registration on, every series at 0. */
public final class BreakerSeries {

    private static final List<List<String>> TRANSITIONS = List.of(List.of("closed", "open"), List.of("open", "half_open"),
            List.of("half_open", "closed"), List.of("half_open", "open"), List.of("open", "closed"));
    private static final List<String> FALLBACKS = List.of("llm", "local", "cache", "default");

    private BreakerSeries() {
    }

    /** The series of {@code service} that are missing from {@code scrape}, or not at 0 (empty when all are there at 0). */
    public static List<String> missingOrNonZero(Scrape scrape, String service) {
        List<String> wrong = new ArrayList<>();
        for (String family : List.of("circuit_breaker_state", "circuit_breaker_failures_total", "circuit_breaker_failure_rate",
                "circuit_breaker_recoveries_total", "circuit_breaker_recovery_time_seconds_count",
                "circuit_breaker_requests_blocked_total")) {
            check(scrape, wrong, family, "service", service);
        }
        TRANSITIONS.forEach(t -> check(scrape, wrong, "circuit_breaker_transitions_total", "service", service,
                "from", t.get(0), "to", t.get(1)));
        FALLBACKS.forEach(f -> check(scrape, wrong, "circuit_breaker_fallback_usage_total", "service", service,
                "fallback", f));
        return wrong;
    }

    private static void check(Scrape scrape, List<String> wrong, String name, String... labels) {
        if (!scrape.has(name, labels)) {
            wrong.add(name + List.of(labels) + " missing");
        } else if (scrape.value(name, labels) != 0) {
            wrong.add(name + List.of(labels) + " = " + scrape.value(name, labels));
        }
    }
}
