package dev.breakwater.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.providers.ChatAnswer;
import dev.breakwater.providers.ChatPrompt;
import dev.breakwater.providers.ChatTurn;
import dev.breakwater.providers.ChatUpstream;
import dev.breakwater.providers.ModelClient;
import dev.breakwater.providers.ModelReply;
import dev.breakwater.providers.TokenUsage;
import dev.breakwater.resilience.ClassifiedException;
import dev.breakwater.resilience.Failure;
import dev.breakwater.resilience.FailureKind;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Interim chat path for Anthropic models: the OpenAI request is reduced to what a LangChain4j
 * {@link ChatPrompt} carries (text messages, max tokens, temperature, top_p, stop) and the answer is
 * dressed as an OpenAI completion or chunk stream. A request that needs more (tools, images,
 * several choices) is not sent: the attempt fails naming the field and the chain moves on. To be
 * replaced by a full OpenAI ⇄ Messages translation.
 */
public final class LangChainChatAdapter implements ChatUpstream {

    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant");

    private final ModelClient client;
    private final ObjectMapper json;

    public LangChainChatAdapter(ModelClient client, ObjectMapper json) {
        this.client = client;
        this.json = json;
    }

    @Override
    public ChatAnswer call(ObjectNode request, boolean stream) throws Exception {
        ModelReply reply = client.chat(prompt(request));
        String id = "chatcmpl-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        long created = System.currentTimeMillis() / 1000;
        String finish = finishReason(reply.finishReason());
        TokenUsage usage = reply.usage() == null ? TokenUsage.NONE : reply.usage();
        if (!stream) {
            ObjectNode root = envelope(id, created, reply.model(), "chat.completion");
            ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
            choice.putObject("message").put("role", "assistant").put("content", reply.content());
            choice.put("finish_reason", finish);
            usage(root, usage);
            return ChatAnswer.whole(root, usage, reply.model());
        }
        List<ObjectNode> chunks = new ArrayList<>();
        ObjectNode first = envelope(id, created, reply.model(), "chat.completion.chunk");
        first.putArray("choices").addObject().put("index", 0).putNull("finish_reason")
                .putObject("delta").put("role", "assistant").put("content", reply.content() == null ? "" : reply.content());
        chunks.add(first);
        ObjectNode last = envelope(id, created, reply.model(), "chat.completion.chunk");
        ObjectNode choice = last.putArray("choices").addObject().put("index", 0);
        choice.putObject("delta");
        choice.put("finish_reason", finish);
        chunks.add(last);
        if (request.path("stream_options").path("include_usage").asBoolean(false)) {
            ObjectNode u = envelope(id, created, reply.model(), "chat.completion.chunk");
            u.putArray("choices");
            usage(u, usage);
            chunks.add(u);
        }
        return ChatAnswer.streamed(chunks, usage, reply.model());
    }

    private static ChatPrompt prompt(ObjectNode request) {
        for (String field : List.of("tools", "functions", "tool_choice", "response_format", "logprobs")) {
            if (asksFor(request.get(field))) {
                throw unsupported(field);
            }
        }
        if (request.path("n").asInt(1) != 1) {
            throw unsupported("n");
        }
        List<ChatTurn> turns = new ArrayList<>();
        JsonNode messages = request.path("messages");
        for (int i = 0; i < messages.size(); i++) {
            turns.add(turn(messages.get(i), "messages[" + i + "]"));
        }
        JsonNode max = request.hasNonNull("max_completion_tokens") ? request.get("max_completion_tokens") : request.get("max_tokens");
        return new ChatPrompt(turns, max == null || !max.canConvertToInt() ? null : max.asInt(),
                number(request.get("temperature")), number(request.get("top_p")), stop(request.get("stop")), Optional.empty());
    }

    /** Set to something that would change the answer: not absent, null, false or empty. */
    private static boolean asksFor(JsonNode value) {
        return value != null && !value.isNull() && !(value.isBoolean() && !value.booleanValue())
                && !(value.isContainerNode() && value.isEmpty());
    }

    private static ChatTurn turn(JsonNode message, String path) {
        String role = message.path("role").asText("");
        if (!ROLES.contains(role)) {
            throw unsupported(path + ".role");
        }
        JsonNode content = message.path("content");
        if (content.isTextual()) {
            return new ChatTurn(role, content.asText());
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                    throw unsupported(path + ".content");
                }
                text.append(part.path("text").asText());
            }
            return new ChatTurn(role, text.toString());
        }
        throw unsupported(path + ".content");
    }

    private static Double number(JsonNode node) {
        return node != null && node.isNumber() ? node.asDouble() : null;
    }

    private static List<String> stop(JsonNode stop) {
        if (stop == null || stop.isNull()) {
            return List.of();
        }
        if (stop.isTextual()) {
            return List.of(stop.asText());
        }
        List<String> out = new ArrayList<>();
        stop.forEach(s -> out.add(s.asText()));
        return out;
    }

    private static ClassifiedException unsupported(String field) {
        return new ClassifiedException(Failure.of(FailureKind.MISCONFIGURED,
                "field '" + field + "' cannot be passed to this Anthropic model yet"));
    }

    /** LangChain4j's finish reasons back in OpenAI's vocabulary. */
    private static String finishReason(String reason) {
        if (reason == null || reason.equals("other")) {
            return "stop";
        }
        return reason.equals("tool_execution") ? "tool_calls" : reason;
    }

    private ObjectNode envelope(String id, long created, String model, String object) {
        return json.createObjectNode().put("id", id).put("object", object).put("created", created).put("model", model);
    }

    private static void usage(ObjectNode root, TokenUsage usage) {
        root.putObject("usage")
                .put("prompt_tokens", usage.promptTokens())
                .put("completion_tokens", usage.completionTokens())
                .put("total_tokens", usage.totalTokens());
    }
}
