package dev.breakwater.openai;

import dev.breakwater.config.GatewayConfig;
import dev.breakwater.resilience.BreakerRegistry;
import dev.breakwater.testing.FakeUpstream;
import dev.breakwater.testing.GatewayTestSupport;
import dev.breakwater.testing.Upstreams;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What every OpenAI API test shares: pristine upstreams and closed breakers before each test, each
 * upstream answering with its own text. Timings (src/test/resources/gateway-test.yaml): attempt
 * timeout 3 s, 2 retries with short back-off (cap 1.5 s), breaker opens after 3 consecutive
 * failures and probes after 1 s, first-token and idle timeouts 1 s.
 */
abstract class OpenAiApiTest {

    static final String ANSWER = "Paris is the capital of France.";

    @Inject
    BreakerRegistry breakers;
    @Inject
    GatewayConfig config;

    FakeUpstream primary = Upstreams.primary;
    FakeUpstream secondary = Upstreams.secondary;
    FakeUpstream claude = Upstreams.claude;
    FakeUpstream routed = Upstreams.routed;

    private static boolean warm;

    @BeforeEach
    void pristine() {
        if (!warm) {
            // The first calls after boot load the HTTP and JSON machinery and can outlast the attempt
            // timeout of the test config; later calls take milliseconds.
            post(body("primary", false));
            post(body("primary", true));
            warm = true;
        }
        GatewayTestSupport.cleanSlate(breakers, null);
        for (FakeUpstream upstream : List.of(primary, secondary, claude, routed)) {
            upstream.respondWith(answerOf(upstream));
        }
    }

    /** The attempt timeout of a model call (resilience.timeout.llm-api). */
    long attemptTimeoutMillis() {
        return config.resilience().timeout().llmApi().toMillis();
    }

    /** Each upstream answers with its own text, so a response shows who answered. */
    static String answerOf(FakeUpstream upstream) {
        String name = upstream == Upstreams.primary ? "primary" : upstream == Upstreams.secondary ? "secondary"
                : upstream == Upstreams.claude ? "claude" : "routed";
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
        assertEquals(primaryCalls, Upstreams.primary.requestCount(), "requests seen by primary");
        assertEquals(secondaryCalls, Upstreams.secondary.requestCount(), "requests seen by secondary");
    }
}
