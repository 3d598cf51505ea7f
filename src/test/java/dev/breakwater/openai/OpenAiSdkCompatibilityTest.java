package dev.breakwater.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.UnprocessableEntityException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletionTool;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import dev.breakwater.testing.Fault;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.common.WithTestResource;
import dev.breakwater.testing.Upstreams;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The official OpenAI Java SDK, pointed at the gateway, for plain and streamed completions with fallback. */
@QuarkusTest
@WithTestResource(Upstreams.class)
class OpenAiSdkCompatibilityTest extends OpenAiApiTest {

    @TestHTTPResource("/v1")
    URL gateway;

    private OpenAIClient client() {
        return OpenAIOkHttpClient.builder().baseUrl(gateway.toString()).apiKey("unused").maxRetries(0).build();
    }

    private static ChatCompletionCreateParams.Builder params(String model) {
        return ChatCompletionCreateParams.builder()
                .model(model)
                .addSystemMessage("Be brief.")
                .addUserMessage("What is the capital of France?");
    }

    @Test
    void plainCompletionWithFallback() {
        primary.setFault(Fault.serviceUnavailable());
        HttpResponseFor<ChatCompletion> response = client().chat().completions().withRawResponse()
                .create(params("primary").putAdditionalBodyProperty("fallbacks", JsonValue.from(List.of("secondary"))).build());
        ChatCompletion completion = response.parse();
        assertEquals(answerOf(secondary), completion.choices().get(0).message().content().orElseThrow());
        assertEquals("secondary", completion.model());
        CompletionUsage usage = completion.usage().orElseThrow();
        assertEquals(secondary.lastUsage().promptTokens(), usage.promptTokens());
        assertEquals(secondary.lastUsage().completionTokens(), usage.completionTokens());
        assertEquals(List.of("secondary"), response.headers().values("x-breakwater-model"));
        assertEquals(List.of("true"), response.headers().values("x-breakwater-degraded"));
        assertCounts(3, 1);
    }

    @Test
    void streamedCompletionWithFallback() {
        primary.setFault(Fault.streamCutAfter(2));
        StringBuilder content = new StringBuilder();
        List<String> models = new ArrayList<>();
        List<CompletionUsage> usage = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client().chat().completions().createStreaming(params("chat")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunk -> {
                models.add(chunk.model());
                chunk.usage().ifPresent(usage::add);
                chunk.choices().forEach(c -> c.delta().content().ifPresent(content::append));
            });
        }
        assertEquals(answerOf(secondary), content.toString());
        assertTrue(models.stream().allMatch("secondary"::equals), models.toString());
        assertEquals(1, usage.size());
        assertEquals(secondary.lastUsage().completionTokens(), usage.get(0).completionTokens());
        assertCounts(3, 1);
    }

    @Test
    void anUnknownModelRaisesAnExceptionNamingItAndWhatIsAvailable() {
        BadRequestException e = assertThrows(BadRequestException.class,
                () -> client().chat().completions().create(params("gpt-5-nope").build()));
        assertTrue(e.getMessage().contains("gpt-5-nope"), e.getMessage());
        assertTrue(e.getMessage().contains("primary") && e.getMessage().contains("chat"), e.getMessage());
        assertCounts(0, 0);
    }

    @Test
    void aStreamedToolCallReachesTheSdk() {
        String chunk = "{\"id\":\"chatcmpl-t\",\"object\":\"chat.completion.chunk\",\"created\":1733000000,\"model\":\"gpt-4o\",\"choices\":[";
        primary.setFault(Fault.rawBody(200, "text/event-stream",
                "data: " + chunk + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,"
                        + "\"id\":\"call_7\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}\n\n"
                        + "data: " + chunk + "{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]},\"finish_reason\":null}]}\n\n"
                        + "data: " + chunk + "{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]},\"finish_reason\":null}]}\n\n"
                        + "data: " + chunk + "{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n"
                        + "data: [DONE]\n\n"));
        ChatCompletionTool tool = ChatCompletionTool.builder().function(FunctionDefinition.builder().name("get_weather")
                .parameters(FunctionParameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(java.util.Map.of("city", java.util.Map.of("type", "string"))))
                        .build())
                .build()).build();
        StringBuilder arguments = new StringBuilder();
        List<String> names = new ArrayList<>();
        List<String> finishes = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client().chat().completions()
                .createStreaming(params("chat").addTool(tool).build())) {
            stream.stream().forEach(c -> c.choices().forEach(choice -> {
                choice.finishReason().ifPresent(f -> finishes.add(f.asString()));
                choice.delta().toolCalls().ifPresent(calls -> calls.forEach(call -> call.function().ifPresent(f -> {
                    f.name().ifPresent(names::add);
                    f.arguments().ifPresent(arguments::append);
                })));
            }));
        }
        assertEquals(List.of("get_weather"), names);
        assertEquals("{\"city\":\"Paris\"}", arguments.toString());
        assertEquals(List.of("tool_calls"), finishes);
        assertEquals("get_weather", primary.lastRequest().json().path("tools").path(0).path("function").path("name").asText());
        assertCounts(1, 0);
    }

    @Test
    void refusalReachesTheSdkWithTheProvidersReason() {
        primary.setFault(Fault.contentPolicy());
        UnprocessableEntityException e = assertThrows(UnprocessableEntityException.class,
                () -> client().chat().completions().create(params("chat").build()));
        assertTrue(e.getMessage().contains("safety system"), e.getMessage());
        assertCounts(1, 0);
    }
}
