package dev.breakwater.admin;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.breakwater.admin.Gateway.admin;
import static dev.breakwater.admin.Gateway.attemptedModels;
import static dev.breakwater.admin.GatewayYaml.GPT;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The embedding-space rules hold at an admin reload as at start-up: a file breaking them is refused and the chains stay. */
@QuarkusTest
@TestProfile(AdminTestProfile.class)
class EmbeddingSpaceReloadTest {

    AdminUpstreams.Upstreams upstreams;

    @BeforeEach
    void baseline() {
        Gateway.baseline(upstreams);
    }

    @Test
    void anEmbeddingsChainOfModelsWithoutOneSpaceIsRefused() {
        upstreams.write(upstreams.baseline().extraChainEntry("kind: embeddings"));
        admin().post("/admin/config/reload").then().statusCode(400)
                .contentType("application/problem+json")
                .body("problems", hasItems(
                        "breakwater.chains.categorizer.models names 'gpt-4o', which declares no embedding-space: every "
                                + "model of an embeddings chain must declare one",
                        "breakwater.categorize.chain names embeddings chain 'categorizer': categorization needs a chat chain"));
        assertEquals(List.of(GPT), attemptedModels("still on the old chain"));
    }
}
