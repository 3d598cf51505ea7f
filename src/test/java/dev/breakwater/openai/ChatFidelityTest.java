package dev.breakwater.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.testing.Fault;
import dev.breakwater.testing.Upstreams;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pass-through: every field of the OpenAI chat API (and one it has never heard of) reaches the
 * upstream as sent, only {@code model} replaced and {@code fallbacks} removed; the upstream's answer
 * (tool calls, logprobs, system_fingerprint, two choices) reaches the caller as sent, only
 * {@code model} replaced by the gateway name of the model that answered.
 */
@QuarkusTest
@WithTestResource(Upstreams.class)
class ChatFidelityTest extends OpenAiApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static final String EVERY_FIELD = """
            {"model": "chat", "fallbacks": ["secondary"],
             "messages": [
               {"role": "developer", "content": "Answer in JSON."},
               {"role": "system", "content": [{"type": "text", "text": "Be brief."}, {"type": "text", "text": " Really."}]},
               {"role": "user", "name": "ann", "content": [
                  {"type": "text", "text": "What is in this image, and the weather in Paris?"},
                  {"type": "image_url", "image_url": {"url": "https://example.com/cat.png", "detail": "low"}},
                  {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}]},
               {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function",
                  "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}}]},
               {"role": "tool", "tool_call_id": "call_1", "content": "{\\"celsius\\": 21.5}"}],
             "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Weather of a city",
                "strict": true, "parameters": {"type": "object", "properties": {"city": {"type": "string"}},
                "required": ["city"], "additionalProperties": false}}}],
             "tool_choice": {"type": "function", "function": {"name": "get_weather"}},
             "parallel_tool_calls": false,
             "response_format": {"type": "json_schema", "json_schema": {"name": "answer", "strict": true,
                "schema": {"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]}}},
             "seed": 42, "user": "user-1234", "logprobs": true, "top_logprobs": 3,
             "presence_penalty": 0.5, "frequency_penalty": -0.25, "logit_bias": {"50256": -100, "15496": 2},
             "store": true, "metadata": {"team": "sales", "ticket": "T-1"}, "reasoning_effort": "low",
             "max_completion_tokens": 300, "max_tokens": 200, "temperature": 0.7, "top_p": 0.9, "n": 2,
             "stop": ["\\n\\n", "END"], "service_tier": "auto", "prediction": {"type": "content", "content": "x"},
             "x_vendor_extension": {"nested": [1, 2.5, {"deep": [true, null, "s"]}], "flag": false}}
            """;

    static final String JSON_MODE = """
            {"model": "chat", "messages": [{"role": "user", "content": "JSON please"}],
             "response_format": {"type": "json_object"}}
            """;

    static final String COMPLETION = """
            {"id": "chatcmpl-upstream-1", "object": "chat.completion", "created": 1733000000, "model": "gpt-4o-2024-08-06",
             "system_fingerprint": "fp_abc123", "service_tier": "default",
             "choices": [
               {"index": 0, "message": {"role": "assistant", "content": null, "refusal": null, "tool_calls": [
                  {"id": "call_9", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}}]},
                "logprobs": {"content": [{"token": "x", "logprob": -0.0123, "bytes": [120], "top_logprobs": []}]},
                "finish_reason": "tool_calls"},
               {"index": 1, "message": {"role": "assistant", "content": "{\\"text\\": \\"Sunny\\"}"}, "logprobs": null,
                "finish_reason": "stop"}],
             "usage": {"prompt_tokens": 57, "completion_tokens": 17, "total_tokens": 74,
               "completion_tokens_details": {"reasoning_tokens": 0}}}
            """;

    static final List<String> CHUNKS = List.of(
            """
            {"id":"chatcmpl-up-2","object":"chat.completion.chunk","created":1733000000,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_abc123","choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_9","type":"function","function":{"name":"get_weather","arguments":""}}]},"logprobs":null,"finish_reason":null},{"index":1,"delta":{"role":"assistant","content":"Sun"},"logprobs":{"content":[{"token":"Sun","logprob":-0.5,"bytes":[83,117,110],"top_logprobs":[]}]},"finish_reason":null}],"usage":null}""",
            """
            {"id":"chatcmpl-up-2","object":"chat.completion.chunk","created":1733000000,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_abc123","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"city\\":\\"Paris\\"}"}}]},"logprobs":null,"finish_reason":null}],"usage":null}""",
            """
            {"id":"chatcmpl-up-2","object":"chat.completion.chunk","created":1733000000,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_abc123","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"tool_calls"},{"index":1,"delta":{"content":"ny"},"logprobs":null,"finish_reason":"stop"}],"usage":null}""",
            """
            {"id":"chatcmpl-up-2","object":"chat.completion.chunk","created":1733000000,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_abc123","choices":[],"usage":{"prompt_tokens":57,"completion_tokens":5,"total_tokens":62}}""");

    @Test
    void everyFieldReachesTheUpstreamAndItsWholeAnswerReachesTheCaller() {
        primary.setFault(Fault.rawBody(200, "application/json", COMPLETION));
        Response r = post(EVERY_FIELD);
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals(expectedUpstreamBody(EVERY_FIELD, "gpt-4o"), primary.lastRequest().json());
        assertEquals(withModel(COMPLETION, "primary"), tree(r.asString()));
        assertEquals("gpt-4o-2024-08-06", r.header("x-breakwater-upstream-model"));
        assertEquals(0, secondary.requestCount());
    }

    /** Key order, spacing, escapes and digits as the upstream wrote them: the answer is not written again, only its model replaced. */
    @Test
    void aWholeAnswerReachesTheCallerByteForByteButItsModel() {
        primary.setFault(Fault.rawBody(200, "application/json", COMPLETION));
        Response r = post(JSON_MODE);
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals(COMPLETION.replace("\"model\": \"gpt-4o-2024-08-06\"", "\"model\": \"primary\""), r.asString());
    }

    @Test
    void jsonModeIsForwarded() {
        primary.setFault(Fault.rawBody(200, "application/json", COMPLETION));
        assertEquals(200, post(JSON_MODE).statusCode());
        assertEquals("json_object", primary.lastRequest().json().path("response_format").path("type").asText());
        assertEquals(expectedUpstreamBody(JSON_MODE, "gpt-4o"), primary.lastRequest().json());
    }

    @Test
    void everyFieldReachesTheUpstreamWhenStreamedAndTheEventsComeBackAsSent() {
        String streamed = EVERY_FIELD.replace("\"n\": 2,", "\"n\": 2, \"stream\": true, \"stream_options\": {\"include_usage\": true},");
        StringBuilder sse = new StringBuilder();
        CHUNKS.forEach(c -> sse.append("data: ").append(c).append("\n\n"));
        primary.setFault(Fault.rawBody(200, "text/event-stream", sse + "data: [DONE]\n\n"));
        Response r = post(streamed);
        assertEquals(200, r.statusCode(), r.asString());
        assertTrue(r.contentType().startsWith("text/event-stream"), r.contentType());
        JsonNode received = primary.lastRequest().json();
        assertEquals(expectedUpstreamBody(streamed, "gpt-4o"), received);
        assertTrue(received.path("stream").asBoolean());

        SseBody body = SseBody.parse(r.asString());
        assertEquals(CHUNKS.stream().map(c -> withModel(c, "primary")).toList(), body.chunks());
        assertTrue(body.endsWithDone());
        assertFalse(r.asString().contains("gpt-4o-2024-08-06"), "model is the gateway's name of the answering model");
    }

    /**
     * Numbers travel as written, both ways: a decimal is not rounded to the nearest double (30 digits stay 30 digits,
     * {@code 0.70} stays {@code 0.70}), and one beyond a double's range stays a number instead of turning into the
     * string {@code "Infinity"}.
     */
    @Test
    void numbersReachTheUpstreamAndTheCallerDigitForDigit() {
        String numbers = "\"top_p\":0.123456789012345678901234567890,\"temperature\":0.70,"
                + "\"x_vendor_extension\":{\"big\":1E+400,\"tiny\":1E-400,\"count\":123456789012345678901234567890}";
        String logprob = "\"logprob\":-0.012345678901234567890123";
        primary.setFault(Fault.rawBody(200, "application/json", COMPLETION.replace("\"logprob\": -0.0123", logprob)));
        Response r = post("{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]," + numbers + "}");
        assertEquals(200, r.statusCode(), r.asString());
        assertTrue(primary.lastRequest().body().contains(numbers), primary.lastRequest().body());
        assertTrue(r.asString().contains(logprob), r.asString());

        StringBuilder sse = new StringBuilder();
        CHUNKS.forEach(c -> sse.append("data: ").append(c.replace("\"logprob\":-0.5", logprob)).append("\n\n"));
        primary.setFault(Fault.rawBody(200, "text/event-stream", sse + "data: [DONE]\n\n"));
        Response events = post("{\"model\":\"chat\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]," + numbers + "}");
        assertEquals(200, events.statusCode(), events.asString());
        assertTrue(primary.lastRequest().body().contains(numbers), primary.lastRequest().body());
        assertTrue(events.asString().contains(logprob), events.asString());
    }

    /** What the upstream must receive: the caller's JSON with its model id and without {@code fallbacks}. */
    private static JsonNode expectedUpstreamBody(String sent, String upstreamModel) {
        ObjectNode expected = (ObjectNode) tree(sent);
        expected.remove("fallbacks");
        expected.put("model", upstreamModel);
        return expected;
    }

    private static JsonNode withModel(String json, String model) {
        ObjectNode node = (ObjectNode) tree(json);
        node.put("model", model);
        return node;
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
