package dev.breakwater.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * A request as {@link FakeUpstream} received it.
 *
 * @param path    the path without query string, e.g. {@code /v1/chat/completions}
 * @param headers header names in lower case; repeated headers are joined with {@code ", "}
 * @param body    the body decoded as UTF-8 (empty string when there was none)
 */
public record RecordedRequest(String method, String path, Map<String, String> headers, String body, Instant at) {

    public RecordedRequest {
        headers = Map.copyOf(headers);
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The body as JSON; a {@link MissingNode} when it is not JSON, so {@code path(..)} chains stay null-safe. */
    public JsonNode json() {
        return Json.parseOrMissing(body);
    }

    public String model() {
        return json().path("model").asText(null);
    }

    public boolean stream() {
        return json().path("stream").asBoolean(false);
    }

    /** Text of the last {@code user} message (string content or text blocks), or "" if there is none. */
    public String lastUserMessage() {
        String last = "";
        for (JsonNode message : json().path("messages")) {
            if ("user".equals(message.path("role").asText())) {
                last = Json.text(message.path("content"));
            }
        }
        return last;
    }
}
