package dev.breakwater.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.errors.BadRequestException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.breakwater.testing.Fault;
import dev.breakwater.testing.FakeUpstream;
import dev.breakwater.testing.Upstreams;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The official OpenAI Java SDK calling {@code /v1/embeddings} on the gateway: upstream fallback, the local tier, errors. */
@QuarkusTest
@WithTestResource(Upstreams.class)
class EmbeddingsSdkTest extends OpenAiApiTest {

    @TestHTTPResource("/v1")
    URL gateway;

    private OpenAIClient client() {
        return OpenAIOkHttpClient.builder().baseUrl(gateway.toString()).apiKey("unused").maxRetries(0).build();
    }

    @Test
    void upstreamEmbeddingsWithFallback() {
        primary.setFault(Fault.serviceUnavailable());
        CreateEmbeddingResponse response = client().embeddings().create(EmbeddingCreateParams.builder()
                .model("embeddings").inputOfArrayOfStrings(List.of("alpha", "beta gamma")).build());
        assertEquals(2, response.data().size());
        assertEquals(EmbeddingsTest.floats(FakeUpstream.embedding("\"beta gamma\"", FakeUpstream.EMBEDDING_DIMENSIONS)),
                response.data().get(1).embedding());
        assertEquals(3, response.usage().promptTokens());
        assertCounts(3, 1);
    }

    @Test
    void localEmbeddingsAsFloatsAndAsBase64AreTheSameVectors() {
        CreateEmbeddingResponse floats = client().embeddings().create(EmbeddingCreateParams.builder()
                .model("local").input("Delta flight tickets").encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build());
        CreateEmbeddingResponse base64 = client().embeddings().create(EmbeddingCreateParams.builder()
                .model("local").input("Delta flight tickets").encodingFormat(EmbeddingCreateParams.EncodingFormat.BASE64).build());
        List<Float> vector = floats.data().get(0).embedding();
        assertEquals(384, vector.size());
        assertEquals(vector, base64.data().get(0).embedding());
        assertEquals("local", floats.model());
        List<Float> raw = given().contentType(ContentType.JSON).body("{\"model\":\"local\",\"input\":\"Delta flight tickets\"}")
                .post("/v1/embeddings").then().statusCode(200).extract().jsonPath().getList("data[0].embedding", Float.class);
        assertEquals(raw, vector, "the SDK reads the gateway's floats exactly");
    }

    @Test
    void mixedSpacesRaiseAnExceptionThatSaysWhy() {
        BadRequestException e = assertThrows(BadRequestException.class, () -> client().embeddings().create(
                EmbeddingCreateParams.builder().model("embeddings").input("hello")
                        .putAdditionalBodyProperty("fallbacks", JsonValue.from(List.of("local"))).build()));
        assertTrue(e.getMessage().contains("different vector spaces"), e.getMessage());
        BadRequestException unknown = assertThrows(BadRequestException.class, () -> client().embeddings().create(
                EmbeddingCreateParams.builder().model("text-embedding-9").input("hello").build()));
        assertTrue(unknown.getMessage().contains("text-embedding-9"), unknown.getMessage());
        assertCounts(0, 0);
    }
}
