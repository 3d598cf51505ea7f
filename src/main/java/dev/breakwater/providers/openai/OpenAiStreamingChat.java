package dev.breakwater.providers.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.providers.ChatPrompt;
import dev.breakwater.providers.ModelReply;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpMethod;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.sse.DefaultServerSentEventParser;

/**
 * A streamed chat completion against an OpenAI-compatible server, read to its end. The SSE is parsed
 * here rather than through LangChain4j's {@code OpenAiStreamingChatModel} because the gateway needs
 * what that model hides: skipping one malformed event instead of failing, telling "cut before the
 * finish" from "finished without [DONE]", and the upstream's own error body. The transport (the
 * shared {@link dev.breakwater.providers.http.UpstreamHttpClient}) enforces the first-token and idle
 * timeouts.
 */
final class OpenAiStreamingChat {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final String url;
    private final String apiKey;
    private final String modelId;

    OpenAiStreamingChat(HttpClient http, String baseUrl, String apiKey, String modelId) {
        this.http = http;
        this.url = baseUrl.replaceAll("/+$", "") + "/chat/completions";
        this.apiKey = apiKey;
        this.modelId = modelId;
    }

    ModelReply chat(ChatPrompt prompt) throws Exception {
        HttpRequest request = HttpRequest.builder()
                .method(HttpMethod.POST)
                .url(url)
                .addHeader("Authorization", "Bearer " + apiKey)
                .addHeader("Content-Type", "application/json")
                .addHeader("Accept", "text/event-stream")
                .body(body(prompt))
                .build();
        StreamAccumulator answer = new StreamAccumulator();
        http.execute(request, new DefaultServerSentEventParser(), answer);
        return answer.reply(modelId);
    }

    private String body(ChatPrompt prompt) {
        ObjectNode root = JSON.createObjectNode().put("model", modelId).put("stream", true);
        root.putObject("stream_options").put("include_usage", true);
        ArrayNode messages = root.putArray("messages");
        prompt.messages().forEach(m -> messages.addObject().put("role", m.role()).put("content", m.content()));
        if (prompt.maxTokens() != null) {
            root.put("max_tokens", prompt.maxTokens());
        }
        if (prompt.temperature() != null) {
            root.put("temperature", prompt.temperature());
        }
        if (prompt.topP() != null) {
            root.put("top_p", prompt.topP());
        }
        if (!prompt.stop().isEmpty()) {
            prompt.stop().forEach(root.putArray("stop")::add);
        }
        return root.toString();
    }
}
