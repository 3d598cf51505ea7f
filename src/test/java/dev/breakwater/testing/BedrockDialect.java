package dev.breakwater.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Bedrock's Converse API: {@code output.message.content[].text}, {@code stopReason}, {@code usage} in
 * input/output tokens, errors as {@code {"message": ...}}; ConverseStream as AWS's binary event-stream
 * frames ({@link #eventStream}). The SSE methods of {@link Dialect} do not apply.
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

    /**
     * ConverseStream's answer: messageStart, a contentBlockDelta per piece, contentBlockStop, messageStop,
     * metadata (usage), each a binary frame; {@code cutAfter >= 0} stops after that many deltas.
     */
    static byte[] eventStream(Reply reply, int cutAfter) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frame(out, "messageStart", Json.object().put("role", "assistant"));
        List<String> pieces = FakeUpstream.streamPieces(reply.content());
        for (int i = 0; i < pieces.size(); i++) {
            if (i == cutAfter) {
                return out.toByteArray();
            }
            ObjectNode delta = Json.object().put("contentBlockIndex", 0);
            delta.putObject("delta").put("text", pieces.get(i));
            frame(out, "contentBlockDelta", delta);
        }
        frame(out, "contentBlockStop", Json.object().put("contentBlockIndex", 0));
        frame(out, "messageStop", Json.object().put("stopReason", "end_turn"));
        ObjectNode metadata = Json.object();
        metadata.putObject("usage").put("inputTokens", reply.usage().promptTokens())
                .put("outputTokens", reply.usage().completionTokens()).put("totalTokens", reply.usage().totalTokens());
        frame(out, "metadata", metadata);
        return out.toByteArray();
    }

    /** One event-stream message: prelude with its CRC32, string headers, JSON payload, CRC32 of the whole. */
    private static void frame(ByteArrayOutputStream out, String eventType, ObjectNode payload) {
        ByteArrayOutputStream headers = new ByteArrayOutputStream();
        header(headers, ":event-type", eventType);
        header(headers, ":content-type", "application/json");
        header(headers, ":message-type", "event");
        byte[] body = Json.write(payload).getBytes(StandardCharsets.UTF_8);
        int total = 12 + headers.size() + body.length + 4;
        ByteBuffer message = ByteBuffer.allocate(total);
        message.putInt(total).putInt(headers.size());
        message.putInt(crc(message.array(), 8));
        message.put(headers.toByteArray()).put(body);
        message.putInt(crc(message.array(), total - 4));
        out.writeBytes(message.array());
    }

    private static void header(ByteArrayOutputStream out, String name, String value) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        out.write(n.length);
        out.writeBytes(n);
        out.write(7); // string
        out.write(v.length >> 8);
        out.write(v.length & 0xff);
        out.writeBytes(v);
    }

    private static int crc(byte[] bytes, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
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
