package dev.breakwater.telemetry;

import dev.breakwater.categorize.AnswerServed;
import io.opentelemetry.api.trace.Span;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * What the caller was told, on the request's server span: where the answer came from and whether it
 * is degraded. {@link AnswerServed} is fired on the request's own thread, inside its trace.
 */
@Singleton
public class RequestTracing {

    void onAnswer(@Observes AnswerServed served) {
        Span span = Span.current();
        span.setAttribute(AttemptTracing.SOURCE, served.answer().source().id());
        span.setAttribute(AttemptTracing.DEGRADED, served.answer().degraded());
        if (served.answer().model() != null) {
            span.setAttribute(AttemptTracing.MODEL, served.answer().model());
        }
    }
}
