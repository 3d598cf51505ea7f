package dev.breakwater.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;

/** A streamed chat answer as the caller received it, event by event. */
record SseBody(List<String> data) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static SseBody parse(String body) {
        List<String> data = new ArrayList<>();
        for (String event : body.split("\n\n")) {
            for (String line : event.split("\n")) {
                if (line.startsWith("data: ")) {
                    data.add(line.substring(6));
                }
            }
        }
        return new SseBody(data);
    }

    List<JsonNode> chunks() {
        return data.stream().filter(d -> !d.equals("[DONE]")).map(SseBody::json).toList();
    }

    String content() {
        StringBuilder out = new StringBuilder();
        chunks().forEach(c -> out.append(c.path("choices").path(0).path("delta").path("content").asText("")));
        return out.toString();
    }

    String finishReason() {
        return chunks().stream().map(c -> c.path("choices").path(0).path("finish_reason"))
                .filter(f -> f.isTextual()).map(JsonNode::asText).reduce((a, b) -> b).orElse(null);
    }

    JsonNode usage() {
        return chunks().stream().map(c -> c.path("usage")).filter(JsonNode::isObject).findFirst().orElseThrow();
    }

    List<String> models() {
        return chunks().stream().map(c -> c.path("model").asText()).distinct().toList();
    }

    boolean endsWithDone() {
        return !data.isEmpty() && data.get(data.size() - 1).equals("[DONE]");
    }

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + s, e);
        }
    }
}
