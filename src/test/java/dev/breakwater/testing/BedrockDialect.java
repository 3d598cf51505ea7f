package dev.breakwater.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * Bedrock's Converse API: {@code output.message.content[].text}, {@code stopReason}, {@code usage} in
 * input/output tokens, errors as {@code {"message": ...}}. ConverseStream (binary event-stream
 * framing) is not spoken: the gateway does not call it.
 */
final class BedrockDialect implements Dialect {

    static final BedrockDialect INSTANCE = new BedrockDialect();

    private BedrockDialect() {}

    @Override
    public String idPrefix() {
        return "converse-";
    }

    @Override
    public String completion(Reply reply) {
        ObjectNode root = Json.object();
        root.putObject("output").putObject("message").put("role", "assistant")
                .putArray("content").addObject().put("text", reply.content());
        root.put("stopReason", "end_turn");
        root.putObject("usage").put("inputTokens", reply.usage().promptTokens())
                .put("outputTokens", reply.usage().completionTokens()).put("totalTokens", reply.usage().totalTokens());
        root.putObject("metrics").put("latencyMs", 12);
        return Json.write(root);
    }

    @Override
    public List<String> streamPreamble(Reply reply) {
        throw new UnsupportedOperationException("ConverseStream is not faked");
    }

    @Override
    public String streamDelta(Reply reply, String piece, boolean first) {
        throw new UnsupportedOperationException("ConverseStream is not faked");
    }

    @Override
    public List<String> streamTail(Reply reply, boolean terminate) {
        throw new UnsupportedOperationException("ConverseStream is not faked");
    }

    @Override
    public String malformedEvent() {
        throw new UnsupportedOperationException("ConverseStream is not faked");
    }

    @Override
    public String error(Fault.Status status) {
        return Json.write(Json.object().put("message", status.message()));
    }

    @Override
    public String rateLimitError(int retryAfterSeconds) {
        return Json.write(Json.object().put("message", "Too many requests, please wait before trying again."));
    }
}
