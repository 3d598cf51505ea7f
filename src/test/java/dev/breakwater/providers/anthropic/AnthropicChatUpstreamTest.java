package dev.breakwater.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.providers.ChatAnswer;
import dev.breakwater.providers.UnsupportedFieldException;
import dev.breakwater.providers.http.StreamTimeouts;
import dev.breakwater.providers.http.UpstreamHttpClient;
import dev.breakwater.resilience.ClassifiedException;
import dev.breakwater.resilience.FailureKind;
import dev.breakwater.testing.FakeUpstream;
import dev.breakwater.testing.Fault;
import dev.breakwater.testing.RecordedRequest;
import dev.breakwater.testing.ToolCall;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static dev.breakwater.providers.anthropic.RequestTranslatorTest.JSON;
import static dev.breakwater.providers.anthropic.RequestTranslatorTest.json;
import static dev.breakwater.providers.anthropic.RequestTranslatorTest.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The Anthropic endpoint over the real transport against the loopback Anthropic fake. */
class AnthropicChatUpstreamTest {

    private static Vertx vertx;
    private static io.vertx.core.http.HttpClient pool;
    private static FakeUpstream claude;
    private static AnthropicChatUpstream upstream;

    static final String TOOL_REQUEST = """
            {"model": "claude", "messages": [{"role": "user", "content": "Weather in Paris?"}],
             "tools": [{"type": "function", "function": {"name": "weather", "parameters": {"type": "object",
                        "properties": {"city": {"type": "string"}}}}}],
             "tool_choice": "auto", "max_tokens": 200}
            """;
    static final String EXPECTED_MESSAGES_REQUEST = """
            {"model": "claude-sonnet-4-5", "max_tokens": 200, "messages": [{"role": "user", "content": "Weather in Paris?"}],
             "tools": [{"name": "weather", "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}],
             "tool_choice": {"type": "auto"}}
            """;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        pool = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true));
        claude = FakeUpstream.start();
        upstream = new AnthropicChatUpstream(
                new UpstreamHttpClient(pool, Duration.ofSeconds(5), new StreamTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2))),
                JSON, Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC), claude.baseUrl() + "/v1/",
                "sk-ant-test-key", "claude-sonnet-4-5", 4096);
    }

    @AfterAll
    static void stop() {
        claude.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @BeforeEach
    void reset() {
        claude.restoreDefaults();
    }

    private static ChatAnswer callOn(String request, boolean stream) throws Exception {
        return upstream.call(json(request), stream);
    }

    @Test
    void aToolCallRoundTripsWhole() throws Exception {
        claude.respondWithToolCalls("Let me look.", new ToolCall("toolu_01", "weather", "{\"city\":\"Paris\"}"));
        ChatAnswer answer = callOn(TOOL_REQUEST, false);

        RecordedRequest sent = claude.lastRequest();
        assertEquals("/v1/messages", sent.path());
        assertEquals("sk-ant-test-key", sent.header("x-api-key"));
        assertEquals("2023-06-01", sent.header("anthropic-version"));
        assertEquals(json(EXPECTED_MESSAGES_REQUEST), sent.json());

        JsonNode message = answer.completion().at("/choices/0/message");
        assertEquals("Let me look.", message.get("content").asText());
        assertEquals(node("""
                [{"id": "toolu_01", "type": "function", "function": {"name": "weather", "arguments": "{\\"city\\":\\"Paris\\"}"}}]
                """), message.get("tool_calls"));
        assertEquals("tool_calls", answer.completion().at("/choices/0/finish_reason").asText());
        assertEquals(1_700_000_000L, answer.completion().get("created").asLong());
        assertEquals(claude.lastUsage().promptTokens(), answer.usage().promptTokens());
    }

    @Test
    void aToolCallRoundTripsStreamed() throws Exception {
        claude.respondWithToolCalls("", new ToolCall("toolu_02", "weather", "{\"city\":\"Paris\"}"));
        ChatAnswer answer = callOn(TOOL_REQUEST.replace("\"max_tokens\": 200", "\"max_tokens\": 200, \"stream\": true, "
                + "\"stream_options\": {\"include_usage\": true}"), true);

        ObjectNode expected = json(EXPECTED_MESSAGES_REQUEST).put("stream", true);
        assertEquals(expected, claude.lastRequest().json());
        List<ObjectNode> chunks = answer.chunks();
        assertEquals("assistant", chunks.get(0).at("/choices/0/delta/role").asText());
        assertEquals("toolu_02", chunks.get(1).at("/choices/0/delta/tool_calls/0/id").asText());
        assertEquals("weather", chunks.get(1).at("/choices/0/delta/tool_calls/0/function/name").asText());
        StringBuilder arguments = new StringBuilder();
        chunks.forEach(c -> c.at("/choices/0/delta/tool_calls").forEach(t -> arguments.append(t.at("/function/arguments").asText())));
        assertEquals("{\"city\":\"Paris\"}", arguments.toString());
        assertEquals("tool_calls", chunks.get(chunks.size() - 2).at("/choices/0/finish_reason").asText());
        assertEquals(claude.lastUsage().totalTokens(), chunks.get(chunks.size() - 1).at("/usage/total_tokens").asInt());
    }

    @Test
    void aFieldAnthropicCannotTakeIsRefusedWithoutACall() {
        UnsupportedFieldException e = assertThrows(UnsupportedFieldException.class,
                () -> upstream.admit(json("{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"logprobs\": true}")));
        assertEquals("logprobs", e.field());
        assertEquals(0, claude.requestCount());
    }

    @Test
    void overloadedIsTransient() {
        claude.setFault(Fault.status(529, "overloaded_error", null, "Overloaded"));
        ClassifiedException e = assertThrows(ClassifiedException.class, () -> callOn(TOOL_REQUEST, false));
        assertEquals(FailureKind.TRANSIENT, e.failure().kind());
        assertEquals(529, e.failure().httpStatus());
        assertEquals("Overloaded", e.failure().message());
    }

    @Test
    void aStreamCutBeforeMessageStopIsTransient() {
        claude.setFault(Fault.streamCutAfter(1));
        ClassifiedException e = assertThrows(ClassifiedException.class, () -> callOn(TOOL_REQUEST, true));
        assertEquals(FailureKind.TRANSIENT, e.failure().kind());
    }

    @Test
    void aStreamThatEndsWithoutMessageStopIsTransient() {
        claude.setFault(Fault.streamNoDone());
        ClassifiedException e = assertThrows(ClassifiedException.class, () -> callOn(TOOL_REQUEST, true));
        assertEquals(FailureKind.TRANSIENT, e.failure().kind());
        assertEquals("the upstream stream ended before message_stop", e.failure().message());
    }

    @Test
    void aMalformedEventIsABadAnswer() {
        claude.setFault(Fault.streamMalformedEvent(1));
        ClassifiedException e = assertThrows(ClassifiedException.class, () -> callOn(TOOL_REQUEST, true));
        assertEquals(FailureKind.BAD_ANSWER, e.failure().kind());
    }

    @Test
    void aRefusalIsAContentPolicyFailure() {
        claude.setFault(Fault.rawBody(200, "application/json", """
                {"id": "msg_r", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
                 "content": [{"type": "text", "text": "I can't help with that."}], "stop_reason": "refusal",
                 "usage": {"input_tokens": 5, "output_tokens": 6}}
                """));
        ClassifiedException e = assertThrows(ClassifiedException.class, () -> callOn(TOOL_REQUEST, false));
        assertEquals(FailureKind.CONTENT_POLICY, e.failure().kind());
    }

    @Test
    void anAnswerThatIsNotJsonIsABadAnswer() {
        claude.setFault(Fault.rawBody(200, "application/json", "<html>maintenance</html>"));
        ClassifiedException e = assertThrows(ClassifiedException.class, () -> callOn(TOOL_REQUEST, false));
        assertEquals(FailureKind.BAD_ANSWER, e.failure().kind());
    }
}
