package dev.breakwater.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The categorization prompt over a provider's {@link ChatUpstream}, for providers LangChain4j does
 * not reach through the shared transport (Azure OpenAI, Gemini, Bedrock): the prompt becomes an
 * OpenAI-shaped request, so the upstream's own translation, auth and error mapping apply unchanged.
 */
public final class ChatUpstreamModelClient implements ModelClient {

    private final ChatUpstream chat;
    private final ObjectMapper json;
    private final String modelId;

    public ChatUpstreamModelClient(ChatUpstream chat, ObjectMapper json, String modelId) {
        this.chat = chat;
        this.json = json;
        this.modelId = modelId;
    }

    @Override
    public ModelReply chat(ChatPrompt prompt) {
        ObjectNode request = json.createObjectNode().put("model", modelId);
        ArrayNode messages = request.putArray("messages");
        prompt.messages().forEach(t -> messages.addObject().put("role", t.role()).put("content", t.content()));
        if (prompt.maxTokens() != null) {
            request.put("max_tokens", prompt.maxTokens());
        }
        if (prompt.temperature() != null) {
            request.put("temperature", prompt.temperature());
        }
        if (prompt.topP() != null) {
            request.put("top_p", prompt.topP());
        }
        if (!prompt.stop().isEmpty()) {
            prompt.stop().forEach(request.putArray("stop")::add);
        }
        ChatAnswer answer;
        try {
            answer = chat.call(request, false);
        } catch (RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            // Failures.classify reads the cause (a timeout stays a timeout).
            throw new IllegalStateException(e);
        }
        JsonNode choice = answer.completion().path("choices").path(0);
        return new ModelReply(choice.path("message").path("content").asText(null), choice.path("finish_reason").asText(null),
                answer.usage(), answer.model());
    }
}
