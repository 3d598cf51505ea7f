package dev.breakwater.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.breakwater.testing.Fault;
import dev.breakwater.testing.RecordedRequest;
import dev.breakwater.testing.ToolCall;
import dev.breakwater.testing.Upstreams;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OpenAI requests answered by an Anthropic model through the gateway: the Messages request the fake
 * recorded is the expected translation, the answer comes back in OpenAI's shape, streamed and not,
 * and a field Anthropic cannot take is refused before any call.
 */
@QuarkusTest
@WithTestResource(Upstreams.class)
class AnthropicChatTest extends OpenAiApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String TOOLS = """
            "tools": [{"type": "function", "function": {"name": "weather", "description": "Current weather",
                       "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}],
            "tool_choice": {"type": "function", "function": {"name": "weather"}}""";

    private static final String EXPECTED_TOOLS = """
            "tools": [{"name": "weather", "description": "Current weather",
                       "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}],
            "tool_choice": {"type": "tool", "name": "weather"}""";

    private static String firstTurn(boolean stream) {
        return """
                {"model": "claude", "stream": %s, %s "max_completion_tokens": 300,
                 "messages": [{"role": "developer", "content": "Use the tools."},
                              {"role": "user", "content": "What is the weather in Paris?"}],
                 %s}
                """.formatted(stream, stream ? "\"stream_options\": {\"include_usage\": true}," : "", TOOLS);
    }

    private static JsonNode expectedFirstTurn(boolean stream) {
        return json("""
                {"model": "claude-3-sonnet", "max_tokens": 300, "system": "Use the tools.",
                 "messages": [{"role": "user", "content": "What is the weather in Paris?"}],
                 %s%s}
                """.formatted(EXPECTED_TOOLS, stream ? ", \"stream\": true" : ""));
    }

    @Test
    void aToolCallRoundTripsThroughTheAnthropicModel() {
        claude.respondWithToolCalls("Checking.", new ToolCall("toolu_01", "weather", "{\"city\":\"Paris\"}"));
        Response r = post(firstTurn(false));

        assertEquals(200, r.statusCode(), r.asString());
        assertEquals(expectedFirstTurn(false), sent().json());
        assertEquals("sk-ant-test-0123456789", sent().header("x-api-key"));
        assertEquals("2023-06-01", sent().header("anthropic-version"));
        JsonNode answer = json(r.asString());
        assertEquals("claude", answer.path("model").asText());
        assertEquals("chat.completion", answer.path("object").asText());
        JsonNode message = answer.at("/choices/0/message");
        assertEquals("Checking.", message.path("content").asText());
        assertEquals(json("""
                [{"id": "toolu_01", "type": "function", "function": {"name": "weather", "arguments": "{\\"city\\":\\"Paris\\"}"}}]
                """), message.path("tool_calls"));
        assertEquals("tool_calls", answer.at("/choices/0/finish_reason").asText());
        assertEquals(claude.lastUsage().totalTokens(), answer.at("/usage/total_tokens").asInt());
        assertEquals("claude", r.header("x-breakwater-model"));
        assertEquals("1", r.header("x-breakwater-attempts"));
    }

    @Test
    void aToolCallRoundTripsStreamed() {
        claude.respondWithToolCalls("", new ToolCall("toolu_02", "weather", "{\"city\":\"Paris\"}"));
        Response r = post(firstTurn(true));

        assertEquals(200, r.statusCode(), r.asString());
        assertTrue(r.contentType().startsWith("text/event-stream"), r.contentType());
        assertEquals(expectedFirstTurn(true), sent().json());
        SseBody sse = SseBody.parse(r.asString());
        assertTrue(sse.endsWithDone(), r.asString());
        assertEquals(List.of("claude"), sse.models());
        assertEquals("assistant", sse.chunks().get(0).at("/choices/0/delta/role").asText());
        JsonNode start = sse.chunks().get(1).at("/choices/0/delta/tool_calls/0");
        assertEquals("toolu_02", start.path("id").asText());
        assertEquals("function", start.path("type").asText());
        assertEquals("weather", start.at("/function/name").asText());
        StringBuilder arguments = new StringBuilder();
        sse.chunks().forEach(c -> c.at("/choices/0/delta/tool_calls").forEach(t -> arguments.append(t.at("/function/arguments").asText())));
        assertEquals("{\"city\":\"Paris\"}", arguments.toString());
        assertEquals("tool_calls", sse.finishReason());
        assertEquals(claude.lastUsage().totalTokens(), sse.usage().path("total_tokens").asInt());
    }

    @Test
    void theToolResultsGoBackAsOneUserTurnWithImagesAndStops() {
        claude.respondWith("Sunny, 18 C.");
        Response r = post("""
                {"model": "claude", "stop": "END", "temperature": 0.3, "user": "u-7", %s,
                 "messages": [
                   {"role": "user", "content": [{"type": "text", "text": "Weather where this photo was taken?"},
                      {"type": "image_url", "image_url": {"url": "data:image/jpeg;base64,/9j/4AAQ"}},
                      {"type": "image_url", "image_url": {"url": "https://example.com/paris.jpg"}}]},
                   {"role": "assistant", "content": null, "tool_calls": [
                      {"id": "toolu_01", "type": "function", "function": {"name": "weather", "arguments": "{\\"city\\":\\"Paris\\"}"}},
                      {"id": "toolu_02", "type": "function", "function": {"name": "weather", "arguments": "{\\"city\\":\\"Lyon\\"}"}}]},
                   {"role": "tool", "tool_call_id": "toolu_01", "content": "18 C, sunny"},
                   {"role": "tool", "tool_call_id": "toolu_02", "content": "21 C, cloudy"}]}
                """.formatted(TOOLS));

        assertEquals(200, r.statusCode(), r.asString());
        assertEquals(json("""
                {"model": "claude-3-sonnet", "max_tokens": 4096, "stop_sequences": ["END"], "temperature": 0.3,
                 "metadata": {"user_id": "u-7"}, %s,
                 "messages": [
                   {"role": "user", "content": [{"type": "text", "text": "Weather where this photo was taken?"},
                      {"type": "image", "source": {"type": "base64", "media_type": "image/jpeg", "data": "/9j/4AAQ"}},
                      {"type": "image", "source": {"type": "url", "url": "https://example.com/paris.jpg"}}]},
                   {"role": "assistant", "content": [
                      {"type": "tool_use", "id": "toolu_01", "name": "weather", "input": {"city": "Paris"}},
                      {"type": "tool_use", "id": "toolu_02", "name": "weather", "input": {"city": "Lyon"}}]},
                   {"role": "user", "content": [
                      {"type": "tool_result", "tool_use_id": "toolu_01", "content": "18 C, sunny"},
                      {"type": "tool_result", "tool_use_id": "toolu_02", "content": "21 C, cloudy"}]}]}
                """.formatted(EXPECTED_TOOLS)), sent().json());
        JsonNode answer = json(r.asString());
        assertEquals("Sunny, 18 C.", answer.at("/choices/0/message/content").asText());
        assertEquals("stop", answer.at("/choices/0/finish_reason").asText());
        assertTrue(answer.at("/choices/0/message/tool_calls").isMissingNode(), r.asString());
    }

    @Test
    void aFieldAnthropicCannotTakeIsA400NamingItWithoutAnyCall() {
        Response r = post(body("claude", false, ",\"seed\":42"));

        assertEquals(400, r.statusCode(), r.asString());
        assertEquals("application/problem+json", r.contentType());
        assertEquals("seed", r.jsonPath().getString("field"));
        assertEquals("seed", r.jsonPath().getString("error.param"));
        assertEquals("unsupported_field", r.jsonPath().getString("error.code"));
        assertEquals("invalid_request_error", r.jsonPath().getString("error.type"));
        assertTrue(r.jsonPath().getString("detail").contains("'seed'"), r.asString());
        assertEquals(List.of("unsupported_field"), r.jsonPath().getList("attempts.outcome"));
        assertEquals("0", r.header("x-breakwater-attempts"));
        assertEquals(0, claude.requestCount());
    }

    @Test
    void inAChainTheAnthropicModelIsSkippedAndTheNextOneAnswersWithTheFieldIntact() {
        long claudeCalls = breakers.find("claude").orElseThrow().stats().totalCalls();
        Response r = post(body("claude", false, ",\"logit_bias\":{\"50256\":-100},\"fallbacks\":[\"primary\"]"));

        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("primary", r.header("x-breakwater-model"));
        assertEquals("1", r.header("x-breakwater-attempts"));
        assertEquals("true", r.header("x-breakwater-degraded"));
        assertEquals(0, claude.requestCount());
        assertEquals(json("{\"50256\":-100}"), primary.lastRequest().json().path("logit_bias"));
        assertEquals(claudeCalls, breakers.find("claude").orElseThrow().stats().totalCalls(), "the skip never reached claude's breaker");
    }

    @Test
    void theSkipIsRecordedAsAnAttemptAndAModelThatWasCalledDecidesTheStatus() {
        primary.setFault(Fault.headersThenSilence());
        Response r = post(body("mixed", true, ",\"logprobs\":true"));

        assertEquals(504, r.statusCode(), r.asString());
        assertEquals(List.of("timeout", "unsupported_field"), r.jsonPath().getList("attempts.outcome"));
        assertEquals(List.of("primary", "claude"), r.jsonPath().getList("attempts.model"));
        assertEquals(0, claude.requestCount());
    }

    @Test
    void anOverloadedAnthropicModelIsRetriedThenFallsOver() {
        claude.setFault(Fault.status(529, "overloaded_error", null, "Overloaded"));
        Response r = post(body("claude", false, ",\"fallbacks\":[\"primary\"]"));

        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("primary", r.header("x-breakwater-model"));
        assertEquals(3, claude.requestCount(), "transient: the first try and 2 retries");
    }

    @Test
    void anthropicsInvalidRequestErrorIsTheCallersAndKeepsItsMessage() {
        claude.setFault(Fault.status(400, "invalid_request_error", null, "messages: roles must alternate"));
        Response r = post(body("claude", false, ",\"fallbacks\":[\"primary\"]"));

        assertEquals(400, r.statusCode(), r.asString());
        assertEquals("messages: roles must alternate", r.jsonPath().getString("error.message"));
        assertEquals(1, claude.requestCount());
        assertEquals(0, primary.requestCount());
    }

    @Test
    void anthropicsPromptIsTooLongFallsOverToTheNextModel() {
        claude.setFault(Fault.status(400, "invalid_request_error", null, "prompt is too long: 250000 tokens > 200000 maximum"));
        Response r = post(body("claude", false, ",\"fallbacks\":[\"primary\"]"));

        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("primary", r.header("x-breakwater-model"));
        assertEquals(1, claude.requestCount(), "context length: not retried");
    }

    @Test
    void jsonModeIsAForcedToolWhoseInputComesBackAsTheContent() {
        claude.respondWithToolCalls("", new ToolCall("toolu_j", "city", "{\"name\":\"Paris\",\"country\":\"France\"}"));
        String request = """
                {"model": "claude", "stream": %s, "messages": [{"role": "user", "content": "Capital of France?"}],
                 "response_format": {"type": "json_schema", "json_schema": {"name": "city",
                   "schema": {"type": "object", "properties": {"name": {"type": "string"}, "country": {"type": "string"}}}}}}
                """;
        JsonNode whole = json(post(request.formatted(false)).then().statusCode(200).extract().asString());
        assertEquals(json("""
                {"tools": [{"name": "city", "description": "Give your answer in this JSON schema.",
                  "input_schema": {"type": "object", "properties": {"name": {"type": "string"}, "country": {"type": "string"}}}}],
                 "tool_choice": {"type": "tool", "name": "city"}}
                """), ((com.fasterxml.jackson.databind.node.ObjectNode) sent().json().deepCopy()).retain("tools", "tool_choice"));
        assertEquals(json("{\"name\":\"Paris\",\"country\":\"France\"}"), json(whole.at("/choices/0/message/content").asText()));
        assertEquals("stop", whole.at("/choices/0/finish_reason").asText());

        claude.clearRecordings();
        SseBody streamed = SseBody.parse(post(request.formatted(true)).then().statusCode(200).extract().asString());
        assertEquals(json("{\"name\":\"Paris\",\"country\":\"France\"}"), json(streamed.content()));
        assertEquals("stop", streamed.finishReason());
    }

    private RecordedRequest sent() {
        assertEquals(1, claude.requestCount(), "one call to the Anthropic fake");
        assertEquals("/v1/messages", claude.lastRequest().path());
        return claude.lastRequest();
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
