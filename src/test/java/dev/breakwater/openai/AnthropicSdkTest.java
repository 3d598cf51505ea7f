package dev.breakwater.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionTool;
import dev.breakwater.testing.ToolCall;
import dev.breakwater.testing.Upstreams;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The official OpenAI Java SDK talking to an Anthropic model through the gateway: it reads our translation as OpenAI's own. */
@QuarkusTest
@WithTestResource(Upstreams.class)
class AnthropicSdkTest extends OpenAiApiTest {

    @TestHTTPResource("/v1")
    URL gateway;

    private OpenAIClient client() {
        return OpenAIOkHttpClient.builder().baseUrl(gateway.toString()).apiKey("unused").maxRetries(0).build();
    }

    private static ChatCompletionCreateParams.Builder weatherQuestion() {
        ChatCompletionTool tool = ChatCompletionTool.builder().function(FunctionDefinition.builder().name("get_weather")
                .parameters(FunctionParameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .build())
                .build()).build();
        return ChatCompletionCreateParams.builder()
                .model("claude")
                .addSystemMessage("Use the tools.")
                .addUserMessage("What is the weather in Paris?")
                .addTool(tool);
    }

    @Test
    void aStreamedToolCallFromClaudeReachesTheSdk() {
        claude.respondWithToolCalls("Let me check.", new ToolCall("toolu_9", "get_weather", "{\"city\":\"Paris\"}"));
        StringBuilder content = new StringBuilder();
        StringBuilder arguments = new StringBuilder();
        List<String> ids = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> finishes = new ArrayList<>();
        List<Long> totals = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client().chat().completions().createStreaming(weatherQuestion()
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(c -> {
                c.usage().ifPresent(u -> totals.add(u.totalTokens()));
                c.choices().forEach(choice -> {
                    choice.finishReason().ifPresent(f -> finishes.add(f.asString()));
                    choice.delta().content().ifPresent(content::append);
                    choice.delta().toolCalls().ifPresent(calls -> calls.forEach(call -> {
                        call.id().ifPresent(ids::add);
                        call.function().ifPresent(f -> {
                            f.name().ifPresent(names::add);
                            f.arguments().ifPresent(arguments::append);
                        });
                    }));
                });
            });
        }
        assertEquals("Let me check.", content.toString());
        assertEquals(List.of("toolu_9"), ids);
        assertEquals(List.of("get_weather"), names);
        assertEquals("{\"city\":\"Paris\"}", arguments.toString());
        assertEquals(List.of("tool_calls"), finishes);
        assertEquals(List.of((long) claude.lastUsage().totalTokens()), totals);
        assertEquals("get_weather", claude.lastRequest().json().at("/tools/0/name").asText());
    }

    @Test
    void aWholeToolCallFromClaudeReachesTheSdk() {
        claude.respondWithToolCalls("", new ToolCall("toolu_8", "get_weather", "{\"city\":\"Paris\"}"));
        ChatCompletion completion = client().chat().completions().create(weatherQuestion().build());
        var message = completion.choices().get(0).message();
        assertTrue(message.content().isEmpty(), message.toString());
        var call = message.toolCalls().orElseThrow().get(0);
        assertEquals("toolu_8", call.id());
        assertEquals("get_weather", call.function().name());
        assertEquals("{\"city\":\"Paris\"}", call.function().arguments());
        assertEquals("tool_calls", completion.choices().get(0).finishReason().asString());
        assertEquals("claude", completion.model());
    }

    @Test
    void aFieldClaudeCannotTakeRaisesAnExceptionNamingIt() {
        BadRequestException e = assertThrows(BadRequestException.class,
                () -> client().chat().completions().create(weatherQuestion().seed(42L).build()));
        assertTrue(e.getMessage().contains("seed"), e.getMessage());
        assertEquals(0, claude.requestCount());
    }
}
