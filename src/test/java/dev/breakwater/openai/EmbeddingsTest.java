package dev.breakwater.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.testing.Fault;
import dev.breakwater.testing.FakeUpstream;
import dev.breakwater.testing.Upstreams;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /v1/embeddings}: pass-through to OpenAI-compatible upstreams (chain {@code embeddings}:
 * embed-primary on the primary fake, embed-secondary on the secondary, one space), the local MiniLM
 * model, and the embedding-space rule at request time.
 */
@QuarkusTest
@WithTestResource(Upstreams.class)
class EmbeddingsTest extends OpenAiApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Response embed(String body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/v1/embeddings");
    }

    @Test
    void theUpstreamReceivesTheRequestAsSentWithOnlyTheModelReplaced() throws Exception {
        String sent = """
                {"model":"embeddings","input":["first text","second, longer text"],"encoding_format":"float",
                 "dimensions":16,"user":"user-42","fallbacks":["embed-secondary"],
                 "future_field":{"nested":[1,2.5,"x",null,{"deep":true}]}}""";
        Response r = embed(sent);
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("embed-primary", r.header("x-breakwater-model"));
        assertEquals("1", r.header("x-breakwater-attempts"));
        assertEquals("false", r.header("x-breakwater-degraded"));

        ObjectNode expected = (ObjectNode) JSON.readTree(sent);
        expected.remove("fallbacks");
        expected.put("model", "text-embedding-3-small");
        assertEquals(expected, primary.lastRequest().json());
        assertEquals("/v1/embeddings", primary.lastRequest().path());
        assertEquals("Bearer sk-test-openai-0123456789", primary.lastRequest().header("authorization"));

        JsonNode answer = JSON.readTree(r.asString());
        assertEquals("text-embedding-3-small", answer.path("model").asText(), "the upstream's answer, as it sent it");
        assertEquals(2, answer.path("data").size());
        assertEquals(List.of(floats(FakeUpstream.embedding("\"first text\"", 16)), floats(FakeUpstream.embedding("\"second, longer text\"", 16))),
                List.of(floats(answer.path("data").get(0).path("embedding")), floats(answer.path("data").get(1).path("embedding"))));
        assertEquals(5, answer.path("usage").path("prompt_tokens").asInt());
        assertCounts(1, 0);
    }

    @Test
    void tokenIdsAndBase64AreForwardedUntouched() throws Exception {
        String sent = "{\"model\":\"embed-primary\",\"input\":[[1,2,3],[40,50]],\"encoding_format\":\"base64\"}";
        Response r = embed(sent);
        assertEquals(200, r.statusCode(), r.asString());
        ObjectNode expected = (ObjectNode) JSON.readTree(sent);
        expected.put("model", "text-embedding-3-small");
        assertEquals(expected, primary.lastRequest().json());
        JsonNode answer = JSON.readTree(r.asString());
        assertEquals(floats(FakeUpstream.embedding("[40,50]", FakeUpstream.EMBEDDING_DIMENSIONS)),
                decode(answer.path("data").get(1).path("embedding").asText()));
    }

    @Test
    void aFailingUpstreamFallsOverToTheNextModelOfTheSameSpace() {
        primary.setFault(Fault.serviceUnavailable());
        Response r = embed("{\"model\":\"embeddings\",\"input\":\"hello\"}");
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("embed-secondary", r.header("x-breakwater-model"));
        assertEquals("4", r.header("x-breakwater-attempts"));
        assertEquals("true", r.header("x-breakwater-degraded"));
        assertEquals(floats(FakeUpstream.embedding("\"hello\"", FakeUpstream.EMBEDDING_DIMENSIONS)),
                floats(r.jsonPath().getList("data[0].embedding", Float.class)));
        assertCounts(3, 1); // one try and two retries, then the fallback
    }

    @Test
    void aSilentUpstreamCostsOneTimeoutThenTheNextModelAnswers() {
        primary.setFault(Fault.hang());
        Response r = embed("{\"model\":\"embeddings\",\"input\":\"hello\"}");
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("embed-secondary", r.header("x-breakwater-model"));
        assertEquals("2", r.header("x-breakwater-attempts"));
        assertCounts(1, 1); // a timeout is not retried
    }

    @Test
    void anAnswerWithoutOneVectorPerInputIsRejectedAndTheNextModelAnswers() {
        primary.setFault(Fault.garbage("{\"object\":\"list\",\"data\":[]}"));
        Response r = embed("{\"model\":\"embeddings\",\"input\":[\"a\",\"b\"]}");
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("embed-secondary", r.header("x-breakwater-model"));
        assertEquals(2, r.jsonPath().getList("data").size());
    }

    @Test
    void anExhaustedChainIsAnOpenAiShapedErrorWithTheUpstreamsReason() {
        primary.setFault(Fault.invalidApiKey());
        secondary.setFault(Fault.invalidApiKey());
        Response r = embed("{\"model\":\"embeddings\",\"input\":\"hello\"}");
        assertEquals(502, r.statusCode(), r.asString());
        assertEquals(401, r.jsonPath().getInt("upstream_status"), r.asString());
        assertEquals("api_error", r.jsonPath().getString("error.type"));
        assertEquals(List.of("error", "error"), r.jsonPath().getList("attempts.outcome"));
        assertEquals("embeddings", r.jsonPath().getString("chain"));
        assertEquals("2", r.header("x-breakwater-attempts"));
    }

    @Test
    void fallbacksOfAnotherEmbeddingSpaceAreRefusedBeforeAnyCall() {
        Response r = embed("{\"model\":\"embeddings\",\"input\":\"hello\",\"fallbacks\":[\"embed-other\"]}");
        assertEquals(400, r.statusCode(), r.asString());
        assertEquals("fallbacks", r.jsonPath().getString("field"));
        assertEquals("fallbacks", r.jsonPath().getString("error.param"));
        assertEquals(Map.of("embed-primary", "openai-te3-small", "embed-secondary", "openai-te3-small",
                "embed-other", "nomic-embed-text-v1.5"), r.jsonPath().getMap("embedding_spaces"));
        Response local = embed("{\"model\":\"local\",\"input\":\"hello\",\"fallbacks\":[\"embed-primary\"]}");
        assertEquals(400, local.statusCode(), local.asString());
        assertEquals(0, routed.requestCount());
        assertCounts(0, 0);
    }

    @Test
    void chatModelsAndChainsAreNotEmbeddingsModelsAndEmbeddingsModelsDoNotChat() {
        Response chatChain = embed("{\"model\":\"chat\",\"input\":\"hello\"}");
        assertEquals(400, chatChain.statusCode());
        assertTrue(chatChain.jsonPath().getString("detail").contains("chat chain"), chatChain.asString());
        Response chatModel = embed("{\"model\":\"primary\",\"input\":\"hello\"}");
        assertEquals(400, chatModel.statusCode());
        assertTrue(chatModel.jsonPath().getString("detail").contains("declares no embedding-space"), chatModel.asString());
        assertTrue(chatModel.jsonPath().getList("available").containsAll(
                List.of("embeddings", "offline-embeddings", "local", "embed-primary", "embed-secondary", "embed-other", "openai/*")),
                chatModel.asString());
        Response chat = post(body("embed-primary", false));
        assertEquals(400, chat.statusCode());
        assertTrue(chat.jsonPath().getString("detail").contains("only answers embeddings requests"), chat.asString());
        assertCounts(0, 0);
    }

    @Test
    void aRoutedIdIsItsOwnSpace() {
        Response r = embed("{\"model\":\"openai/text-embedding-3-large\",\"input\":\"hello\"}");
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("text-embedding-3-large", routed.lastRequest().model());
        Response mixed = embed("{\"model\":\"openai/text-embedding-3-large\",\"input\":\"hello\",\"fallbacks\":[\"embeddings\"]}");
        assertEquals(400, mixed.statusCode(), mixed.asString());
    }

    @Test
    void theLocalModelAnswersOfflineInOpenAisShapeDeterministically() {
        Response first = embed("{\"model\":\"local\",\"input\":[\"Delta flight tickets\",\"hotel in Berlin\"]}");
        assertEquals(200, first.statusCode(), first.asString());
        assertEquals("local", first.header("x-breakwater-model"));
        assertEquals("list", first.jsonPath().getString("object"));
        assertEquals("local", first.jsonPath().getString("model"));
        assertEquals(List.of(0, 1), first.jsonPath().getList("data.index", Integer.class));
        assertEquals(List.of("embedding", "embedding"), first.jsonPath().getList("data.object"));
        List<Float> vector = first.jsonPath().getList("data[0].embedding", Float.class);
        assertEquals(384, vector.size());
        double norm = Math.sqrt(vector.stream().mapToDouble(v -> v * v).sum());
        assertEquals(1.0, norm, 1e-3, "MiniLM vectors are unit length");
        assertNotEquals(vector, first.jsonPath().getList("data[1].embedding", Float.class));
        int tokens = first.jsonPath().getInt("usage.prompt_tokens");
        assertTrue(tokens >= 6, "WordPiece tokens of both texts: " + tokens);
        assertEquals(tokens, first.jsonPath().getInt("usage.total_tokens"));

        Response again = embed("{\"model\":\"offline-embeddings\",\"input\":\"Delta flight tickets\"}");
        assertEquals(vector, again.jsonPath().getList("data[0].embedding", Float.class), "same text, same vector");
        Response base64 = embed("{\"model\":\"local\",\"input\":\"Delta flight tickets\",\"encoding_format\":\"base64\"}");
        assertEquals(vector, decode(base64.jsonPath().getString("data[0].embedding")));
        assertCounts(0, 0);
    }

    @Test
    void curlsDefaultContentTypeIsReadAsJson() {
        Response r = given().contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .body("{\"model\":\"local\",\"input\":\"hello\"}").post("/v1/embeddings");
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals(384, r.jsonPath().getList("data[0].embedding").size());
        Response notJson = given().contentType("application/x-www-form-urlencoded").body("model=local&input=hello")
                .post("/v1/embeddings");
        assertEquals(400, notJson.statusCode(), notJson.asString());
    }

    @Test
    void whatTheLocalModelCannotTakeIsA400NamingTheField() {
        Response tokens = embed("{\"model\":\"local\",\"input\":[1,2,3]}");
        assertEquals(400, tokens.statusCode(), tokens.asString());
        assertEquals("input", tokens.jsonPath().getString("field"));
        Response dimensions = embed("{\"model\":\"local\",\"input\":\"x\",\"dimensions\":128}");
        assertEquals(400, dimensions.statusCode(), dimensions.asString());
        assertEquals("dimensions", dimensions.jsonPath().getString("field"));
    }

    @Test
    void malformedRequestsAre400sAndReachNoUpstream() {
        for (String bad : List.of("[]", "{\"input\":\"x\"}", "{\"model\":\"embeddings\"}", "{\"model\":\"embeddings\",\"input\":[]}",
                "{\"model\":\"embeddings\",\"input\":[\"a\",1]}", "{\"model\":\"embeddings\",\"input\":\"\"}",
                "{\"model\":\"embeddings\",\"input\":\"x\",\"encoding_format\":\"hex\"}",
                "{\"model\":\"embeddings\",\"input\":\"x\",\"dimensions\":0}",
                "{\"model\":\"embeddings\",\"input\":\"x\",\"fallbacks\":\"embed-secondary\"}",
                "{\"model\":\"embed\\r\\nINFO forged line\",\"input\":\"x\"}")) {
            Response r = embed(bad);
            assertEquals(400, r.statusCode(), bad + " -> " + r.asString());
            assertEquals("invalid_request_error", r.jsonPath().getString("error.type"), r.asString());
        }
        assertCounts(0, 0);
    }

    @Test
    void theGatewaysOwnFieldsAreCheckedAsForChat() {
        int max = config.openai().maxFallbacks();
        List<String> tooMany = java.util.Collections.nCopies(max + 1, "embed-secondary");
        Response capped = embed("{\"model\":\"embeddings\",\"input\":\"x\",\"fallbacks\":" + JSON.valueToTree(tooMany) + "}");
        assertEquals(400, capped.statusCode(), capped.asString());
        assertEquals("fallbacks", capped.jsonPath().getString("field"));
        assertEquals(max, capped.jsonPath().getInt("limit"), "openai.max-fallbacks, as for chat");
        Response atTheCap = embed("{\"model\":\"embeddings\",\"input\":\"x\",\"fallbacks\":"
                + JSON.valueToTree(tooMany.subList(0, max)) + "}");
        assertEquals(200, atTheCap.statusCode(), atTheCap.asString());

        Response tooLong = embed("{\"model\":\"" + "m".repeat(257) + "\",\"input\":\"x\"}");
        assertEquals(400, tooLong.statusCode(), tooLong.asString());
        assertEquals(256, tooLong.jsonPath().getInt("limit"));
        Response unknown = embed("{\"model\":\"no-such-embedder\",\"input\":\"x\"}");
        assertEquals(400, unknown.statusCode(), unknown.asString());
        assertEquals("model_not_found", unknown.jsonPath().getString("error.code"));
        assertCounts(1, 0);
    }

    @Test
    void anUpstreamsInvalidRequestIsTheCallersRelayedAndNotHeldAgainstTheModel() {
        primary.setFault(Fault.rawBody(400, "application/json", "{\"error\":{\"message\":\"dimensions must be at most 1536\","
                + "\"type\":\"invalid_request_error\",\"param\":\"dimensions\",\"code\":\"invalid_value\"}}"));
        long failedBefore = breakers.find("embed-primary").orElseThrow().stats().failedCalls(); // totals survive a reset
        for (int i = 0; i < 5; i++) {
            Response r = embed("{\"model\":\"embeddings\",\"input\":\"x\",\"dimensions\":9999}");
            assertEquals(400, r.statusCode(), r.asString());
            assertEquals("dimensions", r.jsonPath().getString("error.param"));
            assertEquals("invalid_value", r.jsonPath().getString("error.code"));
            assertTrue(r.jsonPath().getString("error.message").contains("1536"), r.asString());
            assertEquals("caller_error", r.jsonPath().getString("attempts[0].outcome"));
            assertEquals("1", r.header("x-breakwater-attempts"));
        }
        assertCounts(5, 0);
        assertEquals(dev.breakwater.resilience.BreakerState.CLOSED, breakers.find("embed-primary").orElseThrow().state());
        assertEquals(failedBefore, breakers.find("embed-primary").orElseThrow().stats().failedCalls());
    }

    @Test
    void embeddingsModelsAndChainsAreListedWithTheChatOnes() {
        List<String> ids = given().get("/v1/models").then().statusCode(200).extract().jsonPath().getList("data.id");
        assertTrue(ids.containsAll(List.of("chat", "primary", "embeddings", "offline-embeddings", "local", "embed-primary",
                "embed-secondary", "embed-other")), ids.toString());
        assertEquals(ids.size(), Set.copyOf(ids).size(), "each id once: " + ids);
    }

    static List<Float> floats(float[] vector) {
        List<Float> out = new java.util.ArrayList<>();
        for (float v : vector) {
            out.add(v);
        }
        return out;
    }

    static List<Float> floats(JsonNode array) {
        List<Float> out = new java.util.ArrayList<>();
        array.forEach(v -> out.add(v.floatValue()));
        return out;
    }

    static List<Float> floats(List<Float> list) {
        return list;
    }

    static List<Float> decode(String base64) {
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
        List<Float> out = new java.util.ArrayList<>();
        while (bytes.hasRemaining()) {
            out.add(bytes.getFloat());
        }
        return out;
    }
}
