package dev.breakwater.status;

import dev.breakwater.categorize.AnswerServed;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** The last answers served, newest first, for the status page. Memory only: a restart forgets them. */
@Singleton
public class RecentAnswers {

    static final int KEEP = 20;

    private final Deque<Served> recent = new ArrayDeque<>();
    private final Clock clock;

    public RecentAnswers(Clock clock) {
        this.clock = clock;
    }

    void onAnswer(@Observes AnswerServed answer) {
        Served served = new Served(clock.instant(), answer);
        synchronized (recent) {
            recent.addFirst(served);
            while (recent.size() > KEEP) {
                recent.removeLast();
            }
        }
    }

    public List<Served> all() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    public record Served(Instant at, AnswerServed answer) {
    }
}
