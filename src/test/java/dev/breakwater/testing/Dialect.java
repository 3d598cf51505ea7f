package dev.breakwater.testing;

import java.util.List;

/** The provider-specific wire shapes; {@link ConnectionHandler} decides what to send, a dialect how it looks. */
sealed interface Dialect permits OpenAiDialect, AnthropicDialect, BedrockDialect {

    /** Everything one answer needs, decided once so streamed and non-streamed answers agree. */
    record Reply(String id, String model, long created, String content, Usage usage, boolean includeUsage,
                 List<ToolCall> toolCalls) {}

    String idPrefix();

    String completion(Reply reply);

    /** Events before the first content piece (may be empty). */
    List<String> streamPreamble(Reply reply);

    String streamDelta(Reply reply, String piece, boolean first);

    /** Events after the last content piece; {@code terminate=false} leaves out the final terminator event. */
    List<String> streamTail(Reply reply, boolean terminate);

    String malformedEvent();

    String error(Fault.Status status);

    String rateLimitError(int retryAfterSeconds);

    static String dataEvent(String json) {
        return "data: " + json + "\n\n";
    }

    static String namedEvent(String name, String json) {
        return "event: " + name + "\n" + dataEvent(json);
    }
}
