package dev.breakwater.openai;

import dev.breakwater.testing.Upstreams;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /v1/models/{id}}: listed ids and routed ids (slashes included) are known; others are an OpenAI-shaped 404. */
@QuarkusTest
@WithTestResource(Upstreams.class)
class ModelLookupTest extends OpenAiApiTest {

    @Test
    void aChainAndAConfiguredModelAreKnown() {
        for (String id : new String[]{"chat", "primary"}) {
            Response r = given().get("/v1/models/" + id);
            assertEquals(200, r.statusCode(), r.asString());
            assertEquals(id, r.jsonPath().getString("id"));
            assertEquals("model", r.jsonPath().getString("object"));
        }
    }

    @Test
    void aRoutedIdWithASlashIsKnownWithoutCallingTheUpstreamOrMakingABreaker() {
        Response r = given().urlEncodingEnabled(false).get("/v1/models/openai/gpt-4o-lookup");
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("openai/gpt-4o-lookup", r.jsonPath().getString("id"));
        assertEquals(0, routed.requestCount());
        assertTrue(breakers.find("openai/gpt-4o-lookup").isEmpty());
    }

    @Test
    void anUnknownIdIsA404NamingItAndPointingToTheList() {
        Response r = given().get("/v1/models/gpt-9");
        assertEquals(404, r.statusCode(), r.asString());
        assertEquals("application/problem+json", r.contentType());
        String message = r.jsonPath().getString("error.message");
        assertTrue(message.contains("'gpt-9'") && message.contains("/v1/models"), message);
        assertEquals("model_not_found", r.jsonPath().getString("error.code"));
        assertEquals("invalid_request_error", r.jsonPath().getString("error.type"));
    }

    @Test
    void embeddingsChainsAndModelsAreKnownLikeTheListSays() {
        for (String id : new String[]{"embeddings", "embed-primary", "local"}) {
            Response r = given().get("/v1/models/" + id);
            assertEquals(200, r.statusCode(), r.asString());
            assertEquals(id, r.jsonPath().getString("id"));
        }
        String unknown = given().get("/v1/models/gpt-9").jsonPath().getString("error.message");
        assertTrue(unknown.contains("embed-primary"), "the 404 lists embeddings ids too: " + unknown);
    }
}
