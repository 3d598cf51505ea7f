package dev.breakwater.openai;

import dev.breakwater.testing.Upstreams;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A catch-all {@code *} route after {@code openai/*}: any other id is forwarded unchanged. */
@QuarkusTest
@TestProfile(CatchAllRouteTest.WithCatchAll.class)
@WithTestResource(Upstreams.class)
class CatchAllRouteTest extends OpenAiApiTest {

    public static class WithCatchAll implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("breakwater.routes[1].match", "*",
                    "breakwater.routes[1].base-url", "${fake.routed}",
                    "breakwater.routes[1].api-key-env", "TEST_OPENAI_KEY");
        }
    }

    @Test
    void anUnknownIdIsForwardedUnchangedWithItsOwnBreaker() {
        Response r = post(body("mistral-large-latest", false));
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("mistral-large-latest", r.jsonPath().getString("model"));
        assertEquals("mistral-large-latest", r.getHeader("x-breakwater-model"));
        assertEquals(ANSWER + " (routed)", r.jsonPath().getString("choices[0].message.content"));
        assertEquals("mistral-large-latest", routed.lastRequest().model(), "the id reaches the provider unchanged");
        assertEquals(1, routed.requestCount());
        assertTrue(breakers.find("mistral-large-latest").isPresent());
        assertCounts(0, 0);
    }

    @Test
    void thePrefixRouteStillWinsForItsIds() {
        Response r = post(body("openai/gpt-4o-mini", false));
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("gpt-4o-mini", routed.lastRequest().model(), "openai/* strips its prefix before * is consulted");
    }

    @Test
    void configuredNamesAreNotRouted() {
        Response r = post(body("primary", false));
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals(0, routed.requestCount());
        assertCounts(1, 0);
    }
}
