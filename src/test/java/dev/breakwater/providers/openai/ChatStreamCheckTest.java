package dev.breakwater.providers.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.providers.ChatAnswer;
import dev.breakwater.resilience.ClassifiedException;
import dev.breakwater.resilience.FailureKind;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generic stream verdict: complete streams pass whole and untouched, incomplete ones fail with a reason. */
class ChatStreamCheckTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ChatStreamCheck check(String request) throws IOException {
        return new ChatStreamCheck(JSON, (ObjectNode) JSON.readTree(request));
    }

    @Test
    void aToolCallStreamIsWholeWhenItsChoiceFinishesWithToolCalls() throws Exception {
        ChatStreamCheck check = check("{\"stream\":true}");
        List<String> events = List.of(
                "{\"id\":\"c1\",\"model\":\"m\",\"x_vendor\":{\"a\":[1,2]},\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}",
                "{\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{}\"}}]},\"finish_reason\":null}]}",
                "{\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}");
        assertTrue(check.onEvent(null, events.get(0)));
        assertTrue(check.onEvent(null, events.get(1)));
        assertFalse(check.onEvent(null, events.get(2)), "the only choice finished and no usage was asked for: done");
        check.onClose();
        ChatAnswer answer = check.answer("configured");
        assertEquals(events.stream().map(ChatStreamCheckTest::tree).toList(), answer.chunks());
        assertEquals("m", answer.model());
    }

    @Test
    void everyChoiceAskedForMustFinish() throws Exception {
        ChatStreamCheck check = check("{\"n\":2}");
        check.onEvent(null, "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},\"finish_reason\":null},{\"index\":1,\"delta\":{\"content\":\"b\"},\"finish_reason\":null}]}");
        assertTrue(check.onEvent(null, "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}"),
                "one of two choices finished: keep reading");
        check.onClose();
        ClassifiedException cut = assertThrows(ClassifiedException.class, () -> check.answer("m"));
        assertEquals(FailureKind.TRANSIENT, cut.failure().kind());
    }

    @Test
    void readingStopsOnceEveryChoiceAndTheUsageAreIn() throws Exception {
        ChatStreamCheck check = check("{\"n\":2,\"stream_options\":{\"include_usage\":true}}");
        check.onEvent(null, "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},\"finish_reason\":\"stop\"}]}");
        assertTrue(check.onEvent(null, "{\"choices\":[{\"index\":1,\"delta\":{\"content\":\"b\"},\"finish_reason\":\"length\"}]}"));
        assertFalse(check.onEvent(null, "{\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,\"total_tokens\":7}}"));
        ChatAnswer answer = check.answer("m");
        assertEquals(7, answer.usage().totalTokens());
        assertEquals(3, answer.chunks().size());
    }

    @Test
    void aSecondMalformedEventOrAnErrorEventFailsTheAttempt() throws Exception {
        ChatStreamCheck malformed = check("{}");
        assertTrue(malformed.onEvent(null, "{bad"));
        assertFalse(malformed.onEvent(null, "{worse"));
        assertEquals(FailureKind.BAD_ANSWER, assertThrows(ClassifiedException.class, () -> malformed.answer("m")).failure().kind());

        ChatStreamCheck error = check("{}");
        assertFalse(error.onEvent(null, "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}"));
        assertEquals(FailureKind.TRANSIENT, assertThrows(ClassifiedException.class, () -> error.answer("m")).failure().kind());
    }

    @Test
    void aStreamWithoutAnyChoiceIsNotAnAnswer() throws Exception {
        ChatStreamCheck check = check("{}");
        assertFalse(check.onEvent(null, "[DONE]"));
        assertThrows(ClassifiedException.class, () -> check.answer("m"));
    }

    private static ObjectNode tree(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
