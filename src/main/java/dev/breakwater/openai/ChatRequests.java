package dev.breakwater.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.breakwater.api.ProblemException;
import dev.breakwater.providers.ChatPrompt;
import dev.breakwater.providers.ChatTurn;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a chat request and turns it into a provider-neutral {@link ChatPrompt}. What the gateway
 * cannot pass on faithfully (several choices, tools, non-text content) is refused with a 400 naming
 * the field, rather than silently dropped.
 */
final class ChatRequests {

    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant");

    private ChatRequests() {
    }

    static ChatPrompt toPrompt(ChatCompletionRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("request body is missing: send {\"model\": \"...\", \"messages\": [...]}");
        }
        if (request.model() == null || request.model().isBlank()) {
            throw field("model", "field 'model' is required: name a chain, a configured model or a routed model id");
        }
        if (request.messages() == null || request.messages().isEmpty()) {
            throw field("messages", "field 'messages' is required and must not be empty");
        }
        if (request.n() != null && request.n() != 1) {
            throw field("n", "field 'n' must be 1: the gateway returns one choice");
        }
        if (present(request.tools()) || present(request.functions())) {
            throw field(present(request.tools()) ? "tools" : "functions", "tool and function calling are not supported");
        }
        List<ChatTurn> turns = new ArrayList<>();
        for (int i = 0; i < request.messages().size(); i++) {
            turns.add(turn(request.messages().get(i), "messages[" + i + "]"));
        }
        Integer maxTokens = request.maxCompletionTokens() != null ? request.maxCompletionTokens() : request.maxTokens();
        return new ChatPrompt(turns, maxTokens, request.temperature(), request.topP(), stop(request.stop()), Optional.empty());
    }

    private static ChatTurn turn(ChatCompletionRequest.Message message, String path) {
        if (message == null || message.role() == null || !ROLES.contains(message.role())) {
            throw field(path + ".role", "field '" + path + ".role' must be one of " + ROLES);
        }
        JsonNode content = message.content();
        if (content != null && content.isTextual()) {
            return new ChatTurn(message.role(), content.asText());
        }
        if (content != null && content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                    throw field(path + ".content", "field '" + path + ".content' may only hold text parts");
                }
                text.append(part.path("text").asText());
            }
            return new ChatTurn(message.role(), text.toString());
        }
        throw field(path + ".content", "field '" + path + ".content' must be a string or a list of text parts");
    }

    private static List<String> stop(JsonNode stop) {
        if (stop == null || stop.isNull()) {
            return List.of();
        }
        if (stop.isTextual()) {
            return List.of(stop.asText());
        }
        if (stop.isArray() && stop.size() <= 4 && allText(stop)) {
            List<String> out = new ArrayList<>();
            stop.forEach(s -> out.add(s.asText()));
            return out;
        }
        throw field("stop", "field 'stop' must be a string or a list of up to 4 strings");
    }

    private static boolean allText(JsonNode array) {
        for (JsonNode n : array) {
            if (!n.isTextual()) {
                return false;
            }
        }
        return true;
    }

    private static boolean present(JsonNode node) {
        return node != null && !node.isNull() && !(node.isArray() && node.isEmpty());
    }

    private static ProblemException field(String field, String detail) {
        return ProblemException.badRequest(detail).with("field", field);
    }
}
