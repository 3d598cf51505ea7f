package dev.breakwater.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.providers.TokenUsage;
import dev.breakwater.resilience.ClassifiedException;
import dev.breakwater.resilience.FailureKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Optional;

import static dev.breakwater.providers.anthropic.RequestTranslatorTest.json;
import static dev.breakwater.providers.anthropic.RequestTranslatorTest.node;
import static dev.breakwater.providers.anthropic.RequestTranslatorTest.reparsed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResponseTranslatorTest {

    @Test
    void textAnswer() {
        ObjectNode completion = ResponseTranslator.toCompletion(node("""
                {"id": "msg_01", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
                 "content": [{"type": "text", "text": "Hello"}, {"type": "text", "text": ", world"}],
                 "stop_reason": "end_turn", "stop_sequence": null, "usage": {"input_tokens": 12, "output_tokens": 3}}
                """), 1_700_000_000L, Optional.empty());
        assertEquals(json("""
                {"id": "msg_01", "object": "chat.completion", "created": 1700000000, "model": "claude-sonnet-4-5",
                 "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello, world"},
                              "logprobs": null, "finish_reason": "stop"}],
                 "usage": {"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15}}
                """), reparsed(completion));
    }

    @Test
    void toolUseBecomesToolCallsWithArgumentsAsAJsonString() {
        ObjectNode completion = ResponseTranslator.toCompletion(node("""
                {"id": "msg_02", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
                 "content": [{"type": "text", "text": "Let me check."},
                             {"type": "tool_use", "id": "toolu_1", "name": "weather", "input": {"city": "Paris", "days": [1, 2]}},
                             {"type": "tool_use", "id": "toolu_2", "name": "clock", "input": {}}],
                 "stop_reason": "tool_use", "usage": {"input_tokens": 40, "output_tokens": 20}}
                """), 1L, Optional.empty());
        JsonNode message = completion.at("/choices/0/message");
        assertEquals("Let me check.", message.get("content").asText());
        assertEquals(node("""
                [{"id": "toolu_1", "type": "function", "function": {"name": "weather", "arguments": "{\\"city\\":\\"Paris\\",\\"days\\":[1,2]}"}},
                 {"id": "toolu_2", "type": "function", "function": {"name": "clock", "arguments": "{}"}}]
                """.replace("\n", "")).toString(), message.get("tool_calls").toString());
        assertEquals("tool_calls", completion.at("/choices/0/finish_reason").asText());
    }

    @Test
    void aPureToolCallHasNullContent() {
        ObjectNode completion = ResponseTranslator.toCompletion(node("""
                {"id": "m", "type": "message", "model": "c", "content": [{"type": "tool_use", "id": "t", "name": "f", "input": {}}],
                 "stop_reason": "tool_use", "usage": {"input_tokens": 1, "output_tokens": 1}}
                """), 1L, Optional.empty());
        assertEquals(true, completion.at("/choices/0/message/content").isNull());
    }

    @ParameterizedTest
    @CsvSource({"end_turn, stop", "stop_sequence, stop", "max_tokens, length", "tool_use, tool_calls",
            "refusal, content_filter", "model_context_window_exceeded, length", "pause_turn, stop"})
    void finishReasons(String stopReason, String finishReason) {
        assertEquals(finishReason, ResponseTranslator.finishReason(stopReason, false));
    }

    @Test
    void cachedInputTokensCountAsPromptTokensAsOpenAiCountsThem() {
        assertEquals(new TokenUsage(100 + 20 + 30, 7), ResponseTranslator.usageOf(node("""
                {"input_tokens": 100, "cache_creation_input_tokens": 20, "cache_read_input_tokens": 30, "output_tokens": 7}
                """)));
    }

    @Test
    void thinkingBlocksAreNotPartOfTheAnswer() {
        ObjectNode completion = ResponseTranslator.toCompletion(node("""
                {"id": "m", "type": "message", "model": "c", "stop_reason": "end_turn", "usage": {},
                 "content": [{"type": "thinking", "thinking": "hmm", "signature": "s"}, {"type": "text", "text": "4"}]}
                """), 1L, Optional.empty());
        assertEquals("4", completion.at("/choices/0/message/content").asText());
    }

    @Test
    void aBlockWithNoOpenAiEquivalentFailsTheAttemptInsteadOfVanishing() {
        ClassifiedException e = assertThrows(ClassifiedException.class, () -> ResponseTranslator.toCompletion(node("""
                {"id": "m", "type": "message", "model": "c", "stop_reason": "end_turn", "usage": {},
                 "content": [{"type": "server_tool_use", "id": "s", "name": "web_search", "input": {}}]}
                """), 1L, Optional.empty()));
        assertEquals(FailureKind.BAD_ANSWER, e.failure().kind());
    }

    @Test
    void somethingThatIsNoMessageIsABadAnswer() {
        ClassifiedException e = assertThrows(ClassifiedException.class,
                () -> ResponseTranslator.toCompletion(node("{\"hello\": 1}"), 1L, Optional.empty()));
        assertEquals(FailureKind.BAD_ANSWER, e.failure().kind());
    }

    @Test
    void inJsonModeTheForcedToolsInputIsTheContent() {
        ObjectNode completion = ResponseTranslator.toCompletion(node("""
                {"id": "m", "type": "message", "model": "c", "stop_reason": "tool_use", "usage": {},
                 "content": [{"type": "tool_use", "id": "t", "name": "city", "input": {"name": "Paris"}}]}
                """), 1L, Optional.of("city"));
        assertEquals("{\"name\":\"Paris\"}", completion.at("/choices/0/message/content").asText());
        assertTrue(completion.at("/choices/0/message/tool_calls").isMissingNode());
        assertEquals("stop", completion.at("/choices/0/finish_reason").asText());
    }
}
