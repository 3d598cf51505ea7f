package dev.breakwater.load;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/** The request every simulation sends, and the checks every answer must pass. */
final class Requests {

    private static final List<String> TEXTS = List.of(
            "Flight to Berlin for the customer meeting",
            "Hotel night in Lyon for the audit team",
            "Train ticket Amsterdam to Brussels",
            "Taxi from the airport to the office");
    private static final AtomicLong COUNTER = new AtomicLong();

    private Requests() {
    }

    static HttpProtocolBuilder protocol(GatewayStack stack) {
        return http.baseUrl(stack.baseUrl()).contentTypeHeader("application/json").acceptHeader("application/json")
                .shareConnections();
    }

    /**
     * One categorization, named after the phase it was sent in (so assertions can target a phase).
     * It fails unless the gateway answers 200 from a cloud model (never the local fallback), and, when
     * the phase expects a particular model, from that model.
     */
    static ChainBuilder categorize(Phases phases) {
        return exec(session -> {
                    String phase = phases.current();
                    return session.set("phase", phase)
                            .set("expectedModel", phases.expectedModel(phase))
                            .set("text", TEXTS.get((int) (COUNTER.getAndIncrement() % TEXTS.size())));
                })
                .exec(http("#{phase}").post("/v1/categorize")
                        .body(StringBody("{\"text\":\"#{text}\"}"))
                        .check(status().is(200), jsonPath("$.source").is("llm"))
                        .checkIf(session -> !session.getString("expectedModel").isEmpty())
                        .then(jsonPath("$.model").is(session -> session.getString("expectedModel"))));
    }
}
