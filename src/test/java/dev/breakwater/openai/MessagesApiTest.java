package dev.breakwater.openai;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import dev.breakwater.testing.Fault;
import dev.breakwater.testing.Upstreams;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /v1/messages} through Anthropic's official Java SDK: whole and streamed, with a fail-over
 * mid-chain (primary down, secondary answers), and an Anthropic upstream reached through it.
 */
@QuarkusTest
@WithTestResource(Upstreams.class)
class MessagesApiTest extends OpenAiApiTest {

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    private AnthropicClient client() {
        return AnthropicOkHttpClient.builder().baseUrl("http://localhost:" + port).apiKey("sk-ant-caller").maxRetries(0).build();
    }

    private static MessageCreateParams params(String model) {
        return MessageCreateParams.builder().model(model).maxTokens(128).system("Be brief.")
                .addUserMessage("What is the capital of France?").build();
    }

    @Test
    void theSdkGetsAMessageAfterAFailOverMidChain() {
        primary.setFault(Fault.serviceUnavailable());
        Message message = client().messages().create(params("chat"));
        assertEquals(answerOf(secondary), message.content().get(0).asText().text());
        assertEquals("secondary", message.model().asString());
        assertEquals(StopReason.END_TURN, message.stopReason().orElseThrow());
        assertTrue(message.usage().inputTokens() > 0);
        assertEquals(3, primary.requestCount(), "a try and two retries on primary first");
        assertEquals("Be brief.", secondary.lastRequest().json().path("messages").path(0).path("content").asText(),
                "system travels as OpenAI's system message");
    }

    @Test
    void theSdkAccumulatesAStreamedMessageAfterAFailOverMidChain() {
        primary.setFault(Fault.serviceUnavailable());
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = client().messages().createStreaming(params("chat"))) {
            stream.stream().forEach(accumulator::accumulate);
        }
        Message message = accumulator.message();
        assertEquals(answerOf(secondary), message.content().get(0).asText().text());
        assertEquals(StopReason.END_TURN, message.stopReason().orElseThrow());
    }

    @Test
    void aClaudeModelIsReachedThroughItToo() {
        Message message = client().messages().create(params("claude"));
        assertEquals(answerOf(claude), message.content().get(0).asText().text());
        assertEquals(1, claude.requestCount());
    }

    @Test
    void aFieldWithoutAnOpenAiEquivalentIsA400NamingIt() {
        Response r = given().contentType(ContentType.JSON)
                .body("{\"model\":\"chat\",\"max_tokens\":10,\"top_k\":5,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .post("/v1/messages");
        assertEquals(400, r.statusCode());
        assertEquals("top_k", r.jsonPath().getString("field"));
        assertEquals(0, primary.requestCount());
    }

    /** Anthropic's API takes an integer; a fraction is refused, not cut to one behind the caller's back. */
    @Test
    void maxTokensWithAFractionIsA400NamingIt() {
        for (String maxTokens : new String[]{"10.5", "\"10\"", "1E+400"}) {
            Response r = given().contentType(ContentType.JSON)
                    .body("{\"model\":\"chat\",\"max_tokens\":" + maxTokens + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                    .post("/v1/messages");
            assertEquals(400, r.statusCode(), maxTokens + ": " + r.asString());
            assertEquals("max_tokens", r.jsonPath().getString("field"));
        }
        Response whole = given().contentType(ContentType.JSON)
                .body("{\"model\":\"chat\",\"max_tokens\":10.0,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .post("/v1/messages");
        assertEquals(200, whole.statusCode(), whole.asString());
        assertEquals(10, primary.lastRequest().json().path("max_tokens").asInt());
        assertEquals(1, primary.requestCount());
    }

    @Test
    void toolUseRoundTrips() {
        primary.setFault(Fault.rawBody(200, "application/json", """
                {"id":"chatcmpl-t1","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,
                 "message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                 "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},"finish_reason":"tool_calls"}],
                 "usage":{"prompt_tokens":5,"completion_tokens":7,"total_tokens":12}}"""));
        Response r = given().contentType(ContentType.JSON).body("""
                {"model":"chat","max_tokens":50,"tools":[{"name":"get_weather","description":"Weather",
                 "input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}],
                 "messages":[{"role":"user","content":"Weather in Paris?"}]}""").post("/v1/messages");
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("tool_use", r.jsonPath().getString("stop_reason"));
        assertEquals("get_weather", r.jsonPath().getString("content.find { it.type == 'tool_use' }.name"));
        assertEquals("Paris", r.jsonPath().getString("content.find { it.type == 'tool_use' }.input.city"));
        assertEquals("get_weather", primary.lastRequest().json().path("tools").path(0).path("function").path("name").asText());
    }
}
