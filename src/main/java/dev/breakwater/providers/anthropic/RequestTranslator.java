package dev.breakwater.providers.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.providers.UnsupportedFieldException;

import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OpenAI Chat Completions request as an Anthropic Messages request. Every field of the caller's
 * body is either translated or refused with an {@link UnsupportedFieldException} naming it: a field
 * that Anthropic has no equivalent for is never dropped, since the caller would believe it took
 * effect. A field set to {@code null}, or to the value that means "off" (e.g. {@code n: 1},
 * {@code logprobs: false}, {@code presence_penalty: 0}), asks for nothing and passes.
 * <p>
 * Values the translation only copies (temperature, top_p, token limits) are copied as they came:
 * if they are malformed, Anthropic's own 400 reaches the caller like any upstream's.
 */
public final class RequestTranslator {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** Anthropic's image formats; a data URL of another type cannot be sent. */
    private static final Pattern DATA_URL = Pattern.compile("data:(image/(?:jpeg|png|gif|webp));base64,(.*)", Pattern.DOTALL);
    /** Fields the gateway consumes itself; they are not the provider's business. */
    private static final Set<String> GATEWAY_FIELDS = Set.of("model", "fallbacks");
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");
    /** The forced tool of {@code response_format: json_object}. */
    static final String JSON_OBJECT_TOOL = "json_answer";
    private static final String NO_EQUIVALENT = "has no equivalent in Anthropic's Messages API";

    private final ObjectMapper json;
    private final int defaultMaxTokens;

    /** @param defaultMaxTokens sent when the caller sets no limit: Anthropic requires {@code max_tokens} */
    public RequestTranslator(ObjectMapper json, int defaultMaxTokens) {
        this.json = json;
        this.defaultMaxTokens = defaultMaxTokens;
    }

    /**
     * @param openAi  the caller's body; read only
     * @param modelId the Anthropic model id to call
     * @throws UnsupportedFieldException naming the first field Anthropic cannot take
     */
    public ObjectNode translate(ObjectNode openAi, String modelId) {
        ObjectNode out = F.objectNode().put("model", modelId);
        Iterator<Map.Entry<String, JsonNode>> fields = openAi.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getValue().isNull() && !GATEWAY_FIELDS.contains(field.getKey())) {
                field(field.getKey(), field.getValue(), openAi, out);
            }
        }
        if (!out.has("max_tokens")) {
            out.put("max_tokens", defaultMaxTokens);
        }
        JsonNode parallel = openAi.path("parallel_tool_calls");
        if (parallel.isBoolean() && !parallel.booleanValue() && out.has("tools")) {
            ObjectNode choice = out.has("tool_choice") ? (ObjectNode) out.get("tool_choice") : out.putObject("tool_choice").put("type", "auto");
            if (!"none".equals(choice.path("type").asText())) {
                choice.put("disable_parallel_tool_use", true);
            }
        }
        jsonMode(openAi.path("response_format"), out);
        return out;
    }

    private void field(String name, JsonNode value, ObjectNode openAi, ObjectNode out) {
        switch (name) {
            case "messages" -> messages(value, out);
            case "max_completion_tokens" -> out.set("max_tokens", value);
            case "max_tokens" -> {
                // max_completion_tokens is OpenAI's current name and wins when both are sent.
                if (!openAi.hasNonNull("max_completion_tokens")) {
                    out.set("max_tokens", value);
                }
            }
            case "temperature" -> {
                if (value.isNumber() && value.doubleValue() > 1) {
                    throw new UnsupportedFieldException(name, "is above 1: Anthropic's temperature ranges from 0 to 1 (OpenAI's to 2)");
                }
                out.set("temperature", value);
            }
            case "top_p" -> out.set("top_p", value);
            case "stop" -> out.set("stop_sequences", stop(value));
            case "stream" -> out.set("stream", value);
            case "stream_options" -> streamOptions(value);
            case "user" -> out.putObject("metadata").set("user_id", value);
            case "tools" -> out.set("tools", tools(value));
            case "tool_choice" -> out.set("tool_choice", toolChoice(value));
            case "parallel_tool_calls" -> {
                // Applied to tool_choice once the tools are known, in translate().
            }
            case "n" -> offUnless(name, value.isNumber() && value.intValue() == 1, "must be 1: Anthropic returns one choice");
            case "logprobs" -> offUnless(name, value.isBoolean() && !value.booleanValue(), "is not supported: Anthropic returns no log probabilities");
            case "top_logprobs" -> offUnless(name, value.isNumber() && value.intValue() == 0, "is not supported: Anthropic returns no log probabilities");
            case "logit_bias" -> offUnless(name, value.isObject() && value.isEmpty(), NO_EQUIVALENT);
            case "presence_penalty", "frequency_penalty" ->
                    offUnless(name, value.isNumber() && value.doubleValue() == 0, NO_EQUIVALENT);
            case "seed" -> throw new UnsupportedFieldException(name, "has no equivalent in Anthropic's Messages API: answers cannot be made reproducible");
            case "response_format" -> {
                // Applied once the tools are known, in translate().
            }
            case "modalities" -> offUnless(name, value.isArray() && value.size() == 1 && "text".equals(value.get(0).asText()),
                    "asks for more than text: Anthropic answers in text only");
            case "store" -> offUnless(name, value.isBoolean() && !value.booleanValue(), "asks OpenAI to store the completion; Anthropic does not");
            case "metadata" -> offUnless(name, value.isObject() && value.isEmpty(),
                    "is OpenAI's stored-completion metadata; Anthropic only takes a user id (send 'user')");
            case "service_tier" -> serviceTier(value, out);
            default -> throw new UnsupportedFieldException(name, "is not supported for Anthropic models");
        }
    }

    /**
     * The name of the tool that carries a JSON-mode answer, or empty when the caller asked for none.
     * Anthropic has no JSON mode; a tool the model is forced to call, whose input schema is the
     * caller's, is the documented way to get one, and its input is the answer.
     */
    public static Optional<String> jsonModeTool(JsonNode openAi) {
        JsonNode format = openAi.path("response_format");
        return switch (format.path("type").asText()) {
            case "json_object" -> Optional.of(JSON_OBJECT_TOOL);
            case "json_schema" -> Optional.of(format.path("json_schema").path("name").asText(JSON_OBJECT_TOOL));
            default -> Optional.empty();
        };
    }

    private static void jsonMode(JsonNode format, ObjectNode out) {
        if (format.isMissingNode() || format.isNull() || "text".equals(format.path("type").asText())) {
            return;
        }
        String type = format.path("type").asText();
        ObjectNode schema;
        String description;
        if (type.equals("json_object")) {
            schema = F.objectNode().put("type", "object");
            description = "Give your answer as a JSON object.";
        } else if (type.equals("json_schema") && format.path("json_schema").path("name").isTextual()) {
            JsonNode spec = format.get("json_schema");
            if (spec.path("strict").asBoolean(false)) {
                throw new UnsupportedFieldException("response_format.json_schema.strict",
                        "asks for schema-exact output, which Anthropic does not guarantee");
            }
            JsonNode given = spec.path("schema");
            if (!given.isMissingNode() && !"object".equals(given.path("type").asText())) {
                throw new UnsupportedFieldException("response_format.json_schema.schema",
                        "must describe an object for Anthropic models (JSON mode is a tool call, whose input is an object)");
            }
            schema = given.isObject() ? (ObjectNode) given : F.objectNode().put("type", "object");
            description = spec.path("description").asText("Give your answer in this JSON schema.");
        } else {
            throw new UnsupportedFieldException("response_format", "must be text, json_object or json_schema with a name");
        }
        if (out.has("tools") || out.has("tool_choice")) {
            throw new UnsupportedFieldException("response_format",
                    "cannot be combined with tools for Anthropic models: JSON mode is itself a forced tool call");
        }
        String name = jsonModeTool(F.objectNode().set("response_format", format)).orElseThrow();
        out.putArray("tools").addObject().put("name", name).put("description", description).set("input_schema", schema);
        out.putObject("tool_choice").put("type", "tool").put("name", name);
    }

    private static void offUnless(String field, boolean off, String reason) {
        if (!off) {
            throw new UnsupportedFieldException(field, reason);
        }
    }

    private static void streamOptions(JsonNode value) {
        Iterator<String> names = value.fieldNames();
        while (names.hasNext()) {
            String option = names.next();
            if (!option.equals("include_usage")) {
                throw new UnsupportedFieldException("stream_options." + option, "is not supported for Anthropic models");
            }
        }
    }

    private static void serviceTier(JsonNode value, ObjectNode out) {
        switch (value.asText()) {
            case "auto" -> out.put("service_tier", "auto");
            case "default" -> out.put("service_tier", "standard_only");
            default -> throw new UnsupportedFieldException("service_tier", "must be 'auto' or 'default' for Anthropic models");
        }
    }

    private static ArrayNode stop(JsonNode value) {
        ArrayNode sequences = F.arrayNode();
        if (value.isTextual()) {
            return sequences.add(value.asText());
        }
        if (value.isArray()) {
            for (JsonNode s : value) {
                if (!s.isTextual()) {
                    throw new UnsupportedFieldException("stop", "must be a string or a list of strings");
                }
                sequences.add(s);
            }
            return sequences;
        }
        throw new UnsupportedFieldException("stop", "must be a string or a list of strings");
    }

    // ---- tools -----------------------------------------------------------------------------------

    private static ArrayNode tools(JsonNode value) {
        if (!value.isArray()) {
            throw new UnsupportedFieldException("tools", "must be a list of function tools");
        }
        ArrayNode tools = F.arrayNode();
        for (int i = 0; i < value.size(); i++) {
            String path = "tools[" + i + "]";
            JsonNode tool = value.get(i);
            JsonNode function = tool.path("function");
            if (!"function".equals(tool.path("type").asText()) || !function.path("name").isTextual()) {
                throw new UnsupportedFieldException(path, "is not a function tool with a name: Anthropic models take only those");
            }
            if (function.path("strict").asBoolean(false)) {
                throw new UnsupportedFieldException(path + ".function.strict", "asks for schema-exact arguments, which Anthropic does not guarantee");
            }
            ObjectNode out = tools.addObject().set("name", function.get("name"));
            if (function.hasNonNull("description")) {
                out.set("description", function.get("description"));
            }
            // OpenAI lets a function without parameters take none; Anthropic requires a schema.
            out.set("input_schema", function.hasNonNull("parameters") ? function.get("parameters")
                    : F.objectNode().put("type", "object").set("properties", F.objectNode()));
        }
        return tools;
    }

    private static ObjectNode toolChoice(JsonNode value) {
        if (value.isTextual()) {
            return switch (value.asText()) {
                case "auto" -> F.objectNode().put("type", "auto");
                case "none" -> F.objectNode().put("type", "none");
                case "required" -> F.objectNode().put("type", "any");
                default -> throw new UnsupportedFieldException("tool_choice", "must be 'auto', 'none', 'required' or a named function");
            };
        }
        if ("function".equals(value.path("type").asText()) && value.path("function").path("name").isTextual()) {
            return F.objectNode().put("type", "tool").set("name", value.path("function").get("name"));
        }
        throw new UnsupportedFieldException("tool_choice", "must be 'auto', 'none', 'required' or a named function");
    }

    // ---- messages --------------------------------------------------------------------------------

    private void messages(JsonNode value, ObjectNode out) {
        if (!value.isArray()) {
            throw new UnsupportedFieldException("messages", "must be a list of messages");
        }
        ArrayNode system = F.arrayNode();
        ArrayNode turns = F.arrayNode();
        for (int i = 0; i < value.size(); i++) {
            message(value.get(i), "messages[" + i + "]", system, turns);
        }
        if (!system.isEmpty()) {
            // Anthropic has no system turns: every system or developer message moves to the top-level system prompt, in order.
            out.set("system", collapsed(system));
        }
        for (JsonNode turn : turns) {
            ((ObjectNode) turn).set("content", collapsed((ArrayNode) turn.get("content")));
        }
        out.set("messages", turns);
    }

    private void message(JsonNode message, String path, ArrayNode system, ArrayNode turns) {
        String role = message.path("role").asText("");
        if (!ROLES.contains(role)) {
            throw new UnsupportedFieldException(path + ".role", "must be system, developer, user, assistant or tool for Anthropic models");
        }
        checkFields(message, path, switch (role) {
            case "assistant" -> Set.of("role", "content", "tool_calls");
            case "tool" -> Set.of("role", "content", "tool_call_id");
            default -> Set.of("role", "content");
        });
        JsonNode content = message.path("content");
        switch (role) {
            case "system", "developer" -> system.addAll(textBlocks(content, path + ".content"));
            case "user" -> turn(turns, "user").addAll(userBlocks(content, path + ".content"));
            case "assistant" -> turn(turns, "assistant").addAll(assistantBlocks(message, path));
            default -> turn(turns, "user").add(toolResult(message, path)); // tool
        }
    }

    /** Fields an SDK echoes back with nothing in them (null, [], {}) say nothing; any other extra field is refused. */
    private static void checkFields(JsonNode message, String path, Set<String> allowed) {
        Iterator<Map.Entry<String, JsonNode>> fields = message.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            JsonNode v = f.getValue();
            boolean empty = v.isNull() || (v.isContainerNode() && v.isEmpty());
            if (!allowed.contains(f.getKey()) && !empty) {
                throw new UnsupportedFieldException(path + "." + f.getKey(), NO_EQUIVALENT);
            }
        }
    }

    /** Consecutive messages of one role become one turn: Anthropic requires user and assistant turns to alternate. */
    private static ArrayNode turn(ArrayNode turns, String role) {
        JsonNode last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
        if (last != null && role.equals(last.get("role").asText())) {
            return (ArrayNode) last.get("content");
        }
        ObjectNode turn = turns.addObject().put("role", role);
        return turn.putArray("content");
    }

    private static ArrayNode textBlocks(JsonNode content, String path) {
        ArrayNode blocks = F.arrayNode();
        if (content.isTextual()) {
            return blocks.add(text(content.asText()));
        }
        if (!content.isArray()) {
            throw new UnsupportedFieldException(path, "must be a string or a list of text parts");
        }
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                throw new UnsupportedFieldException(path + "[" + i + "]", "must be a text part here");
            }
            blocks.add(text(part.get("text").asText()));
        }
        return blocks;
    }

    private static ArrayNode userBlocks(JsonNode content, String path) {
        if (!content.isArray()) {
            return textBlocks(content, path);
        }
        ArrayNode blocks = F.arrayNode();
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String partPath = path + "[" + i + "]";
            switch (part.path("type").asText()) {
                case "text" -> blocks.addAll(textBlocks(F.arrayNode().add(part), partPath));
                case "image_url" -> blocks.add(image(part.path("image_url"), partPath + ".image_url"));
                default -> throw new UnsupportedFieldException(partPath,
                        "is a '" + part.path("type").asText() + "' part: Anthropic models take text and image parts here");
            }
        }
        return blocks;
    }

    private static ObjectNode image(JsonNode imageUrl, String path) {
        String detail = imageUrl.path("detail").asText("auto");
        if (!detail.equals("auto")) {
            throw new UnsupportedFieldException(path + ".detail", "cannot be chosen for Anthropic models, which size images themselves");
        }
        String url = imageUrl.path("url").asText("");
        ObjectNode block = F.objectNode().put("type", "image");
        ObjectNode source = block.putObject("source");
        Matcher data = DATA_URL.matcher(url);
        if (data.matches()) {
            source.put("type", "base64").put("media_type", data.group(1)).put("data", data.group(2));
        } else if (url.startsWith("https://") || url.startsWith("http://")) {
            source.put("type", "url").put("url", url);
        } else {
            throw new UnsupportedFieldException(path + ".url",
                    "must be an http(s) URL or a base64 data URL of a JPEG, PNG, GIF or WebP image for Anthropic models");
        }
        return block;
    }

    private ArrayNode assistantBlocks(JsonNode message, String path) {
        JsonNode content = message.path("content");
        ArrayNode blocks = content.isMissingNode() || content.isNull() ? F.arrayNode() : textBlocks(content, path + ".content");
        JsonNode calls = message.path("tool_calls");
        if (calls.isArray() && !calls.isEmpty()) {
            // SDKs send "" next to tool calls; Anthropic refuses empty text blocks, and "" says nothing.
            ArrayNode kept = F.arrayNode();
            blocks.forEach(b -> {
                if (!b.path("text").asText().isEmpty()) {
                    kept.add(b);
                }
            });
            blocks = kept;
            for (int i = 0; i < calls.size(); i++) {
                blocks.add(toolUse(calls.get(i), path + ".tool_calls[" + i + "]"));
            }
        }
        return blocks;
    }

    private ObjectNode toolUse(JsonNode call, String path) {
        JsonNode function = call.path("function");
        if (!"function".equals(call.path("type").asText("function")) || !call.path("id").isTextual()
                || !function.path("name").isTextual()) {
            throw new UnsupportedFieldException(path, "must be a function call with an id and a name");
        }
        ObjectNode block = F.objectNode().put("type", "tool_use");
        block.set("id", call.get("id"));
        block.set("name", function.get("name"));
        block.set("input", arguments(function.path("arguments"), path + ".function.arguments"));
        return block;
    }

    /** OpenAI carries arguments as a JSON string, Anthropic as the object itself. */
    private JsonNode arguments(JsonNode arguments, String path) {
        String text = arguments.asText("");
        if (text.isBlank()) {
            return F.objectNode();
        }
        try {
            JsonNode input = json.readTree(text);
            if (input != null && input.isObject()) {
                return input;
            }
        } catch (JsonProcessingException notJson) {
            // refused below, like any other non-object
        }
        throw new UnsupportedFieldException(path, "must be a JSON object for Anthropic models");
    }

    private static ObjectNode toolResult(JsonNode message, String path) {
        if (!message.path("tool_call_id").isTextual()) {
            throw new UnsupportedFieldException(path + ".tool_call_id", "is required to answer a tool call");
        }
        ObjectNode block = F.objectNode().put("type", "tool_result");
        block.set("tool_use_id", message.get("tool_call_id"));
        block.set("content", collapsed(textBlocks(message.path("content"), path + ".content")));
        return block;
    }

    private static ObjectNode text(String text) {
        return F.objectNode().put("type", "text").put("text", text);
    }

    /** One plain text block is sent as a string, as callers usually write it; anything else as blocks. */
    private static JsonNode collapsed(ArrayNode blocks) {
        if (blocks.size() == 1 && blocks.get(0).size() == 2 && "text".equals(blocks.get(0).path("type").asText())) {
            return blocks.get(0).get("text");
        }
        return blocks;
    }
}
