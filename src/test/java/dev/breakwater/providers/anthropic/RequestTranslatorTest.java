package dev.breakwater.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.providers.UnsupportedFieldException;
import dev.breakwater.resilience.FailureKind;
import dev.breakwater.resilience.Failures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestTranslatorTest {

    static final ObjectMapper JSON = new ObjectMapper();
    private final RequestTranslator translator = new RequestTranslator(JSON, 4096);

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private ObjectNode translate(String openAi) {
        return translator.translate(json(openAi), "claude-sonnet-4-5");
    }

    @Test
    void everyTranslatableFieldOfAToolConversation() {
        ObjectNode request = json("""
                {"model": "claude", "fallbacks": ["primary"],
                 "messages": [
                   {"role": "system", "content": "You are terse."},
                   {"role": "developer", "content": [{"type": "text", "text": "Answer in English."}]},
                   {"role": "user", "content": [
                      {"type": "text", "text": "What is in this picture, and the weather in Paris?"},
                      {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
                      {"type": "image_url", "image_url": {"url": "https://example.com/cat.jpg", "detail": "auto"}}]},
                   {"role": "assistant", "content": "", "refusal": null, "tool_calls": [
                      {"id": "call_1", "type": "function", "function": {"name": "weather", "arguments": "{\\"city\\":\\"Paris\\"}"}},
                      {"id": "call_2", "type": "function", "function": {"name": "clock", "arguments": ""}}]},
                   {"role": "tool", "tool_call_id": "call_1", "content": "18 C, sunny"},
                   {"role": "tool", "tool_call_id": "call_2", "content": [{"type": "text", "text": "14:05"}]},
                   {"role": "user", "content": "Thanks. Summarise."}],
                 "tools": [
                   {"type": "function", "function": {"name": "weather", "description": "Current weather",
                     "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}},
                   {"type": "function", "function": {"name": "clock"}}],
                 "tool_choice": "required", "parallel_tool_calls": false,
                 "stop": ["END", "STOP"], "max_completion_tokens": 300, "temperature": 0.2, "top_p": 0.9,
                 "user": "user-42", "stream": true, "stream_options": {"include_usage": true},
                 "n": 1, "logprobs": false, "presence_penalty": 0, "seed": null}
                """);
        ObjectNode before = request.deepCopy();

        ObjectNode messages = translator.translate(request, "claude-sonnet-4-5");

        assertEquals(json("""
                {"model": "claude-sonnet-4-5", "max_tokens": 300,
                 "system": [{"type": "text", "text": "You are terse."}, {"type": "text", "text": "Answer in English."}],
                 "messages": [
                   {"role": "user", "content": [
                      {"type": "text", "text": "What is in this picture, and the weather in Paris?"},
                      {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}},
                      {"type": "image", "source": {"type": "url", "url": "https://example.com/cat.jpg"}}]},
                   {"role": "assistant", "content": [
                      {"type": "tool_use", "id": "call_1", "name": "weather", "input": {"city": "Paris"}},
                      {"type": "tool_use", "id": "call_2", "name": "clock", "input": {}}]},
                   {"role": "user", "content": [
                      {"type": "tool_result", "tool_use_id": "call_1", "content": "18 C, sunny"},
                      {"type": "tool_result", "tool_use_id": "call_2", "content": "14:05"},
                      {"type": "text", "text": "Thanks. Summarise."}]}],
                 "tools": [
                   {"name": "weather", "description": "Current weather",
                    "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}},
                   {"name": "clock", "input_schema": {"type": "object", "properties": {}}}],
                 "tool_choice": {"type": "any", "disable_parallel_tool_use": true},
                 "stop_sequences": ["END", "STOP"], "temperature": 0.2, "top_p": 0.9,
                 "metadata": {"user_id": "user-42"}, "stream": true}
                """), messages);
        assertEquals(before, request, "the caller's body is shared by every attempt and must not change");
    }

    @Test
    void aPlainChatIsSentAsStringsWithTheDefaultTokenLimit() {
        assertEquals(json("""
                {"model": "claude-sonnet-4-5", "max_tokens": 4096, "system": "Be brief.",
                 "messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"},
                              {"role": "user", "content": "Bye"}]}
                """), translate("""
                {"model": "x", "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"},
                  {"role": "assistant", "content": "Hello!"}, {"role": "user", "content": "Bye"}]}
                """));
    }

    @Test
    void consecutiveUserMessagesBecomeOneTurnAndTextPartsStaySeparateBlocks() {
        ObjectNode out = translate("""
                {"messages": [{"role": "user", "content": "one"},
                  {"role": "user", "content": [{"type": "text", "text": "two"}, {"type": "text", "text": "three"}]}]}
                """);
        assertEquals(node("""
                [{"role": "user", "content": [{"type": "text", "text": "one"}, {"type": "text", "text": "two"},
                  {"type": "text", "text": "three"}]}]
                """), out.get("messages"));
    }

    @Test
    void maxCompletionTokensWinsOverMaxTokensAndMaxTokensAloneIsUsed() {
        assertEquals(50, translate("""
                {"messages": [{"role": "user", "content": "x"}], "max_tokens": 900, "max_completion_tokens": 50}
                """).get("max_tokens").intValue());
        assertEquals(900, translate("""
                {"messages": [{"role": "user", "content": "x"}], "max_tokens": 900}
                """).get("max_tokens").intValue());
        assertEquals(900, translate("""
                {"messages": [{"role": "user", "content": "x"}], "max_tokens": 900, "max_completion_tokens": null}
                """).get("max_tokens").intValue());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"auto\"                                          | {\"type\":\"auto\"}",
            "\"none\"                                          | {\"type\":\"none\"}",
            "\"required\"                                      | {\"type\":\"any\"}",
            "{\"type\":\"function\",\"function\":{\"name\":\"weather\"}} | {\"type\":\"tool\",\"name\":\"weather\"}"})
    void toolChoice(String openAi, String anthropic) {
        ObjectNode out = translate("""
                {"messages": [{"role": "user", "content": "x"}], "tools": [{"type": "function", "function": {"name": "weather"}}],
                 "tool_choice": %s}
                """.formatted(openAi));
        assertEquals(json(anthropic), out.get("tool_choice"));
    }

    @Test
    void parallelToolCallsOffDisablesParallelUseOnTheDefaultChoiceButNotOnNone() {
        String tools = "\"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\"}}]";
        assertEquals(json("{\"type\": \"auto\", \"disable_parallel_tool_use\": true}"), translate(
                "{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}], " + tools + ", \"parallel_tool_calls\": false}")
                .get("tool_choice"));
        assertEquals(json("{\"type\": \"none\"}"), translate(
                "{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}], " + tools + ", \"tool_choice\": \"none\", \"parallel_tool_calls\": false}")
                .get("tool_choice"));
        assertTrue(translate("{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}], " + tools + ", \"parallel_tool_calls\": true}")
                .path("tool_choice").isMissingNode());
    }

    @Test
    void stopAsOneString() {
        assertEquals(node("[\"###\"]"), translate("{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"stop\": \"###\"}")
                .get("stop_sequences"));
    }

    @Test
    void serviceTiers() {
        String base = "{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"service_tier\": ";
        assertEquals("auto", translate(base + "\"auto\"}").get("service_tier").asText());
        assertEquals("standard_only", translate(base + "\"default\"}").get("service_tier").asText());
    }

    /** Each of these asks for something Anthropic cannot do: the field is named, never dropped. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "n                    | \"n\": 2",
            "logprobs             | \"logprobs\": true",
            "top_logprobs         | \"top_logprobs\": 3",
            "logit_bias           | \"logit_bias\": {\"1234\": -100}",
            "presence_penalty     | \"presence_penalty\": 0.5",
            "frequency_penalty    | \"frequency_penalty\": -0.5",
            "seed                 | \"seed\": 7",
            "response_format      | \"response_format\": {\"type\": \"xml\"}",
            "response_format      | \"response_format\": {\"type\": \"json_schema\", \"json_schema\": {\"schema\": {}}}",
            "response_format      | \"response_format\": {\"type\": \"json_object\"}, \"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\"}}]",
            "response_format.json_schema.strict | \"response_format\": {\"type\": \"json_schema\", \"json_schema\": {\"name\": \"a\", \"strict\": true, \"schema\": {\"type\": \"object\"}}}",
            "response_format.json_schema.schema | \"response_format\": {\"type\": \"json_schema\", \"json_schema\": {\"name\": \"a\", \"schema\": {\"type\": \"array\"}}}",
            "audio                | \"audio\": {\"voice\": \"alloy\", \"format\": \"mp3\"}",
            "modalities           | \"modalities\": [\"text\", \"audio\"]",
            "store                | \"store\": true",
            "metadata             | \"metadata\": {\"team\": \"a\"}",
            "reasoning_effort     | \"reasoning_effort\": \"low\"",
            "prediction           | \"prediction\": {\"type\": \"content\", \"content\": \"x\"}",
            "web_search_options   | \"web_search_options\": {}",
            "verbosity            | \"verbosity\": \"low\"",
            "prompt_cache_key     | \"prompt_cache_key\": \"k\"",
            "safety_identifier    | \"safety_identifier\": \"u\"",
            "functions            | \"functions\": [{\"name\": \"f\"}]",
            "function_call        | \"function_call\": \"auto\"",
            "service_tier         | \"service_tier\": \"flex\"",
            "temperature          | \"temperature\": 1.5",
            "stream_options.include_obfuscation | \"stream_options\": {\"include_obfuscation\": false}",
            "top_k                | \"top_k\": 5",
            "tools[0]             | \"tools\": [{\"type\": \"custom\", \"custom\": {\"name\": \"grammar\"}}]",
            "tools[0].function.strict | \"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\", \"strict\": true}}]",
            "tool_choice          | \"tool_choice\": {\"type\": \"allowed_tools\", \"allowed_tools\": {}}",
            "stop                 | \"stop\": [1, 2]"})
    void unsupportedRequestFieldsAreNamed(String field, String member) {
        assertUnsupported(field, "{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}], " + member + "}");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "messages[0].name               | {\"role\": \"user\", \"content\": \"x\", \"name\": \"bob\"}",
            "messages[0].role               | {\"role\": \"function\", \"name\": \"f\", \"content\": \"x\"}",
            "messages[0].content[1]         | {\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"x\"}, {\"type\": \"input_audio\", \"input_audio\": {\"data\": \"AAA\", \"format\": \"wav\"}}]}",
            "messages[0].content[0]         | {\"role\": \"user\", \"content\": [{\"type\": \"file\", \"file\": {\"file_id\": \"f1\"}}]}",
            "messages[0].content[0].image_url.detail | {\"role\": \"user\", \"content\": [{\"type\": \"image_url\", \"image_url\": {\"url\": \"https://x/y.png\", \"detail\": \"high\"}}]}",
            "messages[0].content[0].image_url.url    | {\"role\": \"user\", \"content\": [{\"type\": \"image_url\", \"image_url\": {\"url\": \"data:image/svg+xml;base64,PHN2Zz4=\"}}]}",
            "messages[0].content[0].image_url.url    | {\"role\": \"user\", \"content\": [{\"type\": \"image_url\", \"image_url\": {\"url\": \"ftp://x/y.png\"}}]}",
            "messages[0].content[0]         | {\"role\": \"system\", \"content\": [{\"type\": \"image_url\", \"image_url\": {\"url\": \"https://x/y.png\"}}]}",
            "messages[0].content[0]         | {\"role\": \"assistant\", \"content\": [{\"type\": \"refusal\", \"refusal\": \"no\"}]}",
            "messages[0].refusal            | {\"role\": \"assistant\", \"content\": null, \"refusal\": \"I cannot\"}",
            "messages[0].audio              | {\"role\": \"assistant\", \"content\": null, \"audio\": {\"id\": \"a1\"}}",
            "messages[0].function_call      | {\"role\": \"assistant\", \"content\": null, \"function_call\": {\"name\": \"f\", \"arguments\": \"{}\"}}",
            "messages[0].tool_calls[0].function.arguments | {\"role\": \"assistant\", \"tool_calls\": [{\"id\": \"c\", \"type\": \"function\", \"function\": {\"name\": \"f\", \"arguments\": \"[1,2]\"}}]}",
            "messages[0].tool_calls[0].function.arguments | {\"role\": \"assistant\", \"tool_calls\": [{\"id\": \"c\", \"type\": \"function\", \"function\": {\"name\": \"f\", \"arguments\": \"{not json\"}}]}",
            "messages[0].tool_calls[0]      | {\"role\": \"assistant\", \"tool_calls\": [{\"type\": \"function\", \"function\": {\"name\": \"f\", \"arguments\": \"{}\"}}]}",
            "messages[0].tool_call_id       | {\"role\": \"tool\", \"content\": \"x\"}",
            "messages[0].content            | {\"role\": \"user\", \"content\": 42}"})
    void unsupportedMessageContentIsNamedByPath(String field, String message) {
        assertUnsupported(field, "{\"messages\": [" + message + "]}");
    }

    @Test
    void jsonModeIsAForcedToolWhoseSchemaIsTheCallers() {
        ObjectNode out = translate("""
                {"messages": [{"role": "user", "content": "x"}], "response_format": {"type": "json_schema",
                 "json_schema": {"name": "city", "description": "A city", "strict": false,
                                 "schema": {"type": "object", "properties": {"name": {"type": "string"}}}}}}
                """);
        assertEquals(node("""
                [{"name": "city", "description": "A city",
                  "input_schema": {"type": "object", "properties": {"name": {"type": "string"}}}}]
                """), out.get("tools"));
        assertEquals(node("{\"type\": \"tool\", \"name\": \"city\"}"), out.get("tool_choice"));
        ObjectNode any = translate("{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"response_format\": {\"type\": \"json_object\"}}");
        assertEquals(node("{\"type\": \"object\"}"), any.at("/tools/0/input_schema"));
        assertEquals("json_answer", any.at("/tool_choice/name").asText());
        assertEquals(java.util.Optional.of("json_answer"), RequestTranslator.jsonModeTool(json("{\"response_format\": {\"type\": \"json_object\"}}")));
        assertEquals(java.util.Optional.empty(), RequestTranslator.jsonModeTool(json("{\"response_format\": {\"type\": \"text\"}}")));
    }

    @Test
    void fieldsThatAskForNothingPass() {
        ObjectNode out = translate("""
                {"messages": [{"role": "user", "content": "x"},
                              {"role": "assistant", "content": "y", "refusal": null, "audio": null, "annotations": [], "tool_calls": []}],
                 "n": 1, "logprobs": false, "top_logprobs": 0, "logit_bias": {}, "presence_penalty": 0, "frequency_penalty": 0.0,
                 "response_format": {"type": "text"}, "modalities": ["text"], "store": false, "metadata": {},
                 "seed": null, "reasoning_effort": null, "user": null, "tools": null}
                """);
        assertEquals(json("""
                {"model": "claude-sonnet-4-5", "max_tokens": 4096,
                 "messages": [{"role": "user", "content": "x"}, {"role": "assistant", "content": "y"}]}
                """), out);
    }

    @Test
    void theRefusalIsAnUnsupportedFieldFailureThatFallsOverWithoutCountingAgainstTheModel() {
        UnsupportedFieldException e = assertThrows(UnsupportedFieldException.class,
                () -> translate("{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"seed\": 7}"));
        assertEquals(FailureKind.UNSUPPORTED_FIELD, Failures.classify(e).kind());
        assertTrue(e.getMessage().startsWith("field 'seed' "), e.getMessage());
        assertTrue(FailureKind.UNSUPPORTED_FIELD.fallsOver());
        assertTrue(!FailureKind.UNSUPPORTED_FIELD.retryable() && !FailureKind.UNSUPPORTED_FIELD.countsAgainstBreaker());
    }

    private void assertUnsupported(String field, String body) {
        UnsupportedFieldException e = assertThrows(UnsupportedFieldException.class, () -> translate(body));
        assertEquals(field, e.field(), e.getMessage());
    }

    /** As a caller would read it: Jackson tells an int from a long node, the wire does not. */
    static JsonNode reparsed(Object node) {
        return node(node.toString());
    }

    static JsonNode node(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
