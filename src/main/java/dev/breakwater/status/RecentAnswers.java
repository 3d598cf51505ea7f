package dev.breakwater.status;

import dev.breakwater.telemetry.RequestOutcome;
import dev.breakwater.telemetry.RequestRecord;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The last answers served on every endpoint that walks a chain (categorize, chat, embeddings), newest
 * first, for the status page. Memory only: a restart forgets them.
 */
@Singleton
public class RecentAnswers {

    static final int KEEP = 20;

    private final Deque<Served> recent = new ArrayDeque<>();
    private final Clock clock;

    public RecentAnswers(Clock clock) {
        this.clock = clock;
    }

    void onRequest(@Observes RequestRecord request) {
        request.outcome().ifPresent(outcome -> {
            Served served = new Served(clock.instant(), request.endpoint(), request.status(), request.latency().toMillis(), outcome);
            synchronized (recent) {
                recent.addFirst(served);
                while (recent.size() > KEEP) {
                    recent.removeLast();
                }
            }
        });
    }

    public List<Served> all() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    public record Served(Instant at, String endpoint, int status, long latencyMs, RequestOutcome outcome) {
    }
}
