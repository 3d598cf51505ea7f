package dev.breakwater.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.providers.ChatAnswer;
import dev.breakwater.providers.TokenUsage;
import dev.breakwater.resilience.ClassifiedException;
import dev.breakwater.resilience.FailureKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static dev.breakwater.providers.anthropic.RequestTranslatorTest.JSON;
import static dev.breakwater.providers.anthropic.RequestTranslatorTest.json;
import static dev.breakwater.providers.anthropic.RequestTranslatorTest.reparsed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamTranslatorTest {

    static final String START = """
            {"type": "message_start", "message": {"id": "msg_9", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
             "content": [], "stop_reason": null, "stop_sequence": null, "usage": {"input_tokens": 25, "output_tokens": 1}}}""";
    static final String STOP = "{\"type\": \"message_stop\"}";

    private static String delta(String stopReason, int outputTokens) {
        return "{\"type\": \"message_delta\", \"delta\": {\"stop_reason\": \"" + stopReason + "\", \"stop_sequence\": null},"
                + " \"usage\": {\"output_tokens\": " + outputTokens + "}}";
    }

    private static String text(int index, String text) {
        return "{\"type\": \"content_block_delta\", \"index\": " + index + ", \"delta\": {\"type\": \"text_delta\", \"text\": \""
                + text + "\"}}";
    }

    private static ChatAnswer run(boolean includeUsage, String... events) {
        StreamTranslator stream = new StreamTranslator(JSON, includeUsage, 1_700_000_000L, Optional.empty());
        for (String event : events) {
            stream.accept(event);
        }
        return stream.answer();
    }

    private static ObjectNode chunk(String choice) {
        return json("{\"id\": \"msg_9\", \"object\": \"chat.completion.chunk\", \"created\": 1700000000, "
                + "\"model\": \"claude-sonnet-4-5\", \"choices\": [" + choice + "]}");
    }

    @Test
    void textStreamBecomesRoleContentAndFinishChunks() {
        ChatAnswer answer = run(false, START,
                "{\"type\": \"content_block_start\", \"index\": 0, \"content_block\": {\"type\": \"text\", \"text\": \"\"}}",
                "{\"type\": \"ping\"}",
                text(0, "Hel"), text(0, "lo"),
                "{\"type\": \"content_block_stop\", \"index\": 0}",
                delta("end_turn", 2), STOP);
        assertEquals(reparsed(List.of(
                chunk("{\"index\": 0, \"delta\": {\"role\": \"assistant\", \"content\": \"\"}, \"finish_reason\": null}"),
                chunk("{\"index\": 0, \"delta\": {\"content\": \"Hel\"}, \"finish_reason\": null}"),
                chunk("{\"index\": 0, \"delta\": {\"content\": \"lo\"}, \"finish_reason\": null}"),
                chunk("{\"index\": 0, \"delta\": {}, \"finish_reason\": \"stop\"}"))), reparsed(answer.chunks()));
        assertEquals(new TokenUsage(25, 2), answer.usage());
        assertEquals("claude-sonnet-4-5", answer.model());
        assertTrue(answer.isStream());
    }

    @Test
    void toolUseBlocksBecomeIndexedToolCallDeltas() {
        ChatAnswer answer = run(true, START,
                "{\"type\": \"content_block_start\", \"index\": 0, \"content_block\": {\"type\": \"text\", \"text\": \"\"}}",
                text(0, "Checking."),
                "{\"type\": \"content_block_stop\", \"index\": 0}",
                "{\"type\": \"content_block_start\", \"index\": 1, \"content_block\": {\"type\": \"tool_use\", \"id\": \"toolu_1\", \"name\": \"weather\", \"input\": {}}}",
                "{\"type\": \"content_block_delta\", \"index\": 1, \"delta\": {\"type\": \"input_json_delta\", \"partial_json\": \"\"}}",
                "{\"type\": \"content_block_delta\", \"index\": 1, \"delta\": {\"type\": \"input_json_delta\", \"partial_json\": \"{\\\"city\\\": \"}}",
                "{\"type\": \"content_block_delta\", \"index\": 1, \"delta\": {\"type\": \"input_json_delta\", \"partial_json\": \"\\\"Paris\\\"}\"}}",
                "{\"type\": \"content_block_stop\", \"index\": 1}",
                "{\"type\": \"content_block_start\", \"index\": 2, \"content_block\": {\"type\": \"tool_use\", \"id\": \"toolu_2\", \"name\": \"clock\", \"input\": {}}}",
                "{\"type\": \"content_block_delta\", \"index\": 2, \"delta\": {\"type\": \"input_json_delta\", \"partial_json\": \"{}\"}}",
                "{\"type\": \"content_block_stop\", \"index\": 2}",
                delta("tool_use", 30), STOP);
        List<ObjectNode> chunks = answer.chunks();
        assertEquals(10, chunks.size());
        assertEquals(json("{\"tool_calls\": [{\"index\": 0, \"id\": \"toolu_1\", \"type\": \"function\", \"function\": {\"name\": \"weather\", \"arguments\": \"\"}}]}"),
                chunks.get(2).at("/choices/0/delta"));
        assertEquals(json("{\"tool_calls\": [{\"index\": 0, \"function\": {\"arguments\": \"{\\\"city\\\": \"}}]}"),
                chunks.get(4).at("/choices/0/delta"));
        assertEquals(json("{\"tool_calls\": [{\"index\": 1, \"id\": \"toolu_2\", \"type\": \"function\", \"function\": {\"name\": \"clock\", \"arguments\": \"\"}}]}"),
                chunks.get(6).at("/choices/0/delta"));
        assertEquals("tool_calls", chunks.get(8).at("/choices/0/finish_reason").asText());
        assertEquals(chunk("").put("object", "chat.completion.chunk")
                        .set("usage", json("{\"prompt_tokens\": 25, \"completion_tokens\": 30, \"total_tokens\": 55}")),
                reparsed(chunks.get(9)));
        assertEquals("{\"city\": \"Paris\"}", arguments(chunks, 0));
        assertEquals("{}", arguments(chunks, 1));
    }

    /** What an OpenAI client does with tool-call deltas: concatenate the argument fragments per index. */
    private static String arguments(List<ObjectNode> chunks, int index) {
        StringBuilder out = new StringBuilder();
        for (ObjectNode c : chunks) {
            for (JsonNode call : c.at("/choices/0/delta/tool_calls")) {
                if (call.path("index").asInt() == index) {
                    out.append(call.at("/function/arguments").asText());
                }
            }
        }
        return out.toString();
    }

    @Test
    void streamedAndWholeAnswersAgreeOnContentToolCallsAndFinish() {
        ChatAnswer streamed = run(false, START,
                "{\"type\": \"content_block_start\", \"index\": 0, \"content_block\": {\"type\": \"tool_use\", \"id\": \"toolu_1\", \"name\": \"f\", \"input\": {}}}",
                "{\"type\": \"content_block_delta\", \"index\": 0, \"delta\": {\"type\": \"input_json_delta\", \"partial_json\": \"{\\\"a\\\":1}\"}}",
                "{\"type\": \"content_block_stop\", \"index\": 0}", delta("tool_use", 5), STOP);
        ObjectNode whole = ResponseTranslator.toCompletion(RequestTranslatorTest.node("""
                {"id": "msg_9", "type": "message", "model": "claude-sonnet-4-5", "stop_reason": "tool_use",
                 "content": [{"type": "tool_use", "id": "toolu_1", "name": "f", "input": {"a": 1}}],
                 "usage": {"input_tokens": 25, "output_tokens": 5}}
                """), 1_700_000_000L, Optional.empty());
        assertEquals(whole.at("/choices/0/message/tool_calls/0/function/arguments").asText(), arguments(streamed.chunks(), 0));
        assertEquals(whole.at("/choices/0/finish_reason"), streamed.chunks().get(streamed.chunks().size() - 1).at("/choices/0/finish_reason"));
    }

    @Test
    void acceptSaysWhenTheStreamIsCompleteAndIgnoresWhatFollows() {
        StreamTranslator stream = new StreamTranslator(JSON, false, 1L, Optional.empty());
        assertFalse(stream.accept(START));
        assertFalse(stream.accept(delta("end_turn", 1)));
        assertTrue(stream.accept(STOP));
        assertTrue(stream.accept("{\"type\": \"error\", \"error\": {\"type\": \"api_error\", \"message\": \"late\"}}"));
        assertEquals(2, stream.answer().chunks().size());
    }

    @Test
    void anOverloadedErrorEventIsTransient() {
        StreamTranslator stream = new StreamTranslator(JSON, false, 1L, Optional.empty());
        stream.accept(START);
        ClassifiedException e = assertThrows(ClassifiedException.class, () -> stream.accept(
                "{\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}"));
        assertEquals(FailureKind.TRANSIENT, e.failure().kind());
        assertEquals(529, e.failure().httpStatus());
        assertEquals("Overloaded", e.failure().message());
    }

    @Test
    void anInvalidRequestErrorEventKeepsItsStatus() {
        StreamTranslator stream = new StreamTranslator(JSON, false, 1L, Optional.empty());
        ClassifiedException e = assertThrows(ClassifiedException.class, () -> stream.accept(
                "{\"type\": \"error\", \"error\": {\"type\": \"invalid_request_error\", \"message\": \"bad\"}}"));
        assertEquals(400, e.failure().httpStatus());
        assertFalse(e.failure().kind().retryable());
    }

    @Test
    void aStreamWithoutMessageStopIsACutTransientFailure() {
        StreamTranslator stream = new StreamTranslator(JSON, false, 1L, Optional.empty());
        stream.accept(START);
        stream.accept(text(0, "partial"));
        stream.accept(delta("end_turn", 1));
        ClassifiedException e = assertThrows(ClassifiedException.class, stream::answer);
        assertEquals(FailureKind.TRANSIENT, e.failure().kind());
    }

    @Test
    void aMalformedEventFailsTheAttemptSinceItWouldLoseAPieceOfTheAnswer() {
        StreamTranslator stream = new StreamTranslator(JSON, false, 1L, Optional.empty());
        stream.accept(START);
        ClassifiedException e = assertThrows(ClassifiedException.class, () -> stream.accept("{not json"));
        assertEquals(FailureKind.BAD_ANSWER, e.failure().kind());
    }

    @Test
    void contentBeforeMessageStartIsABadAnswer() {
        StreamTranslator stream = new StreamTranslator(JSON, false, 1L, Optional.empty());
        assertFalse(stream.accept("{\"type\": \"ping\"}"));
        ClassifiedException e = assertThrows(ClassifiedException.class, () -> stream.accept(text(0, "x")));
        assertEquals(FailureKind.BAD_ANSWER, e.failure().kind());
    }

    @Test
    void unknownEventTypesArePassedOverAsAnthropicAsksClientsToDo() {
        ChatAnswer answer = run(false, START, "{\"type\": \"something_new\", \"x\": 1}", delta("end_turn", 1), STOP);
        assertEquals(2, answer.chunks().size());
    }

    @Test
    void aRefusalIsAContentPolicyFailureAsForAWholeAnswer() {
        ClassifiedException e = assertThrows(ClassifiedException.class, () -> run(false, START, delta("refusal", 1), STOP));
        assertEquals(FailureKind.CONTENT_POLICY, e.failure().kind());
    }

    @Test
    void inJsonModeTheForcedToolsInputStreamsAsContent() {
        StreamTranslator stream = new StreamTranslator(JSON, false, 1L, Optional.of("city"));
        for (String event : List.of(START,
                "{\"type\": \"content_block_start\", \"index\": 0, \"content_block\": {\"type\": \"tool_use\", \"id\": \"t\", \"name\": \"city\", \"input\": {}}}",
                "{\"type\": \"content_block_delta\", \"index\": 0, \"delta\": {\"type\": \"input_json_delta\", \"partial_json\": \"{\\\"name\\\": \"}}",
                "{\"type\": \"content_block_delta\", \"index\": 0, \"delta\": {\"type\": \"input_json_delta\", \"partial_json\": \"\\\"Paris\\\"}\"}}",
                "{\"type\": \"content_block_stop\", \"index\": 0}", delta("tool_use", 5), STOP)) {
            stream.accept(event);
        }
        List<ObjectNode> chunks = stream.answer().chunks();
        StringBuilder content = new StringBuilder();
        chunks.forEach(c -> content.append(c.at("/choices/0/delta/content").asText("")));
        assertEquals("{\"name\": \"Paris\"}", content.toString());
        chunks.forEach(c -> assertTrue(c.at("/choices/0/delta/tool_calls").isMissingNode(), c.toString()));
        assertEquals("stop", chunks.get(chunks.size() - 1).at("/choices/0/finish_reason").asText());
    }
}
