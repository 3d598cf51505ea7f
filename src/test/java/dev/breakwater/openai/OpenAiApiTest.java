package dev.breakwater.openai;

import dev.breakwater.resilience.BreakerRegistry;
import dev.breakwater.resilience.ResilientClient;
import dev.breakwater.testing.FakeUpstream;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** What every OpenAI API test shares: pristine upstreams and closed breakers before each test. */
abstract class OpenAiApiTest {

    static final String ANSWER = "Paris is the capital of France.";

    @Inject
    BreakerRegistry breakers;

    FakeUpstream primary = FakeUpstreams.primary;
    FakeUpstream secondary = FakeUpstreams.secondary;
    FakeUpstream anthropic = FakeUpstreams.anthropic;
    FakeUpstream routed = FakeUpstreams.routed;

    private static boolean warm;

    @BeforeEach
    void pristine() {
        if (!warm) {
            // The first calls after boot load the HTTP and JSON machinery and can outlast the 1 s
            // attempt timeout of the test config; later calls take milliseconds.
            post(body("primary", false));
            post(body("primary", true));
            warm = true;
        }
        FakeUpstreams.restoreAll();
        for (FakeUpstream upstream : List.of(primary, secondary, anthropic, routed)) {
            upstream.respondWith(answerOf(upstream));
        }
        breakers.all().forEach(ResilientClient::reset);
    }

    /** Each upstream answers with its own text, so a response shows who answered. */
    static String answerOf(FakeUpstream upstream) {
        String name = upstream == FakeUpstreams.primary ? "primary" : upstream == FakeUpstreams.secondary ? "secondary"
                : upstream == FakeUpstreams.anthropic ? "claude" : "routed";
        return ANSWER + " (" + name + ")";
    }

    static String body(String model, boolean stream) {
        return body(model, stream, "");
    }

    /** A chat request; {@code extra} is appended inside the JSON object (e.g. {@code ,"fallbacks":["x"]}). */
    static String body(String model, boolean stream, String extra) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream
                + (stream ? ",\"stream_options\":{\"include_usage\":true}" : "")
                + ",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"What is the capital of France?\"}]" + extra + "}";
    }

    static Response post(String body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/v1/chat/completions");
    }

    static void assertCounts(int primaryCalls, int secondaryCalls) {
        assertEquals(primaryCalls, FakeUpstreams.primary.requestCount(), "requests seen by primary");
        assertEquals(secondaryCalls, FakeUpstreams.secondary.requestCount(), "requests seen by secondary");
    }
}
