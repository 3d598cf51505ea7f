package dev.breakwater.testing;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link FakeUpstream} misbehaves for one request.
 *
 * <p>Faults apply to every route (chat, models, factors). The {@link StreamFault streaming faults}
 * only make sense for an SSE answer, so a request that does not ask for {@code "stream": true}
 * gets a normal answer instead; the fault is still consumed.
 *
 * <p>Error bodies are written in the shape of the provider the route imitates: OpenAI routes get
 * {@code {"error":{"message","type","param","code"}}}, the Anthropic route gets
 * {@code {"type":"error","error":{"type","message"}}} (Anthropic has no error code, so
 * {@code errorCode} is dropped there and {@code anthropicErrorType} is used as the type).
 */
public sealed interface Fault {

    /** Faults that only change anything when the answer is streamed. */
    sealed interface StreamFault extends Fault {}

    record Ok() implements Fault {}

    record Status(int code, String errorType, String errorCode, String message, String anthropicErrorType)
            implements Fault {
        public Status {
            Objects.requireNonNull(errorType, "errorType");
            Objects.requireNonNull(message, "message");
            if (anthropicErrorType == null) {
                anthropicErrorType = errorType;
            }
        }
    }

    record RateLimited(int retryAfterSeconds) implements Fault {}

    /** 401 whose message repeats the credential the request carried, bare (no {@code Bearer }), as some proxies do. */
    record EchoKey() implements Fault {}

    record Hang() implements Fault {}

    record HangUntilClientLeaves() implements Fault {}

    record SlowFirstByte(Duration delay) implements Fault {}

    /** A 200 whose body never ends: a byte of whitespace every {@code every}, until the client leaves. */
    record Trickle(Duration every) implements Fault {}

    record Garbage(String text) implements Fault {}

    record RawBody(int status, String contentType, String body) implements Fault {}

    record Reset() implements Fault {}

    record StreamCutAfter(int chunks) implements StreamFault {}

    record StreamStallAfter(int chunks, Duration stall) implements StreamFault {}

    record HeadersThenSilence() implements StreamFault {}

    record StreamMalformedEvent(int afterChunks) implements StreamFault {}

    record StreamNoDone() implements StreamFault {}

    // ---- factories -------------------------------------------------------------------------

    static Fault ok() {
        return new Ok();
    }

    /** Any status with a provider-shaped error body; the same type is used for both providers. */
    static Fault status(int code, String errorType, String errorCode, String message) {
        return new Status(code, errorType, errorCode, message, errorType);
    }

    /** 503 as both providers send it when a model is temporarily unavailable. */
    static Fault serviceUnavailable() {
        return new Status(503, "server_error", null,
                "The server is currently overloaded, please try again later.", "overloaded_error");
    }

    /** 400 for a prompt that does not fit the model's window (OpenAI code {@code context_length_exceeded}). */
    static Fault contextLengthExceeded() {
        return new Status(400, "invalid_request_error", "context_length_exceeded",
                "This model's maximum context length is 8192 tokens. However, your messages resulted in 9001 tokens.",
                "invalid_request_error");
    }

    /** 401 bad key: OpenAI {@code invalid_request_error/invalid_api_key}, Anthropic {@code authentication_error}. */
    static Fault invalidApiKey() {
        return new Status(401, "invalid_request_error", "invalid_api_key",
                "Incorrect API key provided.", "authentication_error");
    }

    /** 401 bad key whose message echoes the key the request presented, without any prefix added. */
    static Fault invalidApiKeyEchoed() {
        return new EchoKey();
    }

    /**
     * 400 content-policy refusal: OpenAI {@code invalid_request_error/content_policy_violation}; Anthropic
     * reports it as a plain {@code invalid_request_error} whose message mentions the usage policy.
     */
    static Fault contentPolicy() {
        return new Status(400, "invalid_request_error", "content_policy_violation",
                "Your request was rejected as a result of our safety system; it may violate our usage policy.",
                "invalid_request_error");
    }

    /** 429 with {@code Retry-After: N}; the body says {@code rate_limit_exceeded} / {@code rate_limit_error}. */
    static Fault rateLimited(int retryAfterSeconds) {
        return new RateLimited(retryAfterSeconds);
    }

    /** Read the request and never answer; the socket stays open until {@link FakeUpstream#close()}. */
    static Fault hang() {
        return new Hang();
    }

    /**
     * Read the request and never answer, but watch the connection: when the client closes or resets
     * it, the moment is recorded ({@link FakeUpstream#disconnects()}).
     */
    static Fault hangUntilClientLeaves() {
        return new HangUntilClientLeaves();
    }

    static Fault slowFirstByte(Duration delay) {
        return new SlowFirstByte(Objects.requireNonNull(delay));
    }

    /** A well-formed 200 whose assistant text is prose instead of the JSON the caller asked for. */
    /**
     * Headers at once, then a body that never ends but is never silent for long (whitespace, which JSON
     * allows before a value): no read timeout fires, only the caller's own timeout ends it.
     */
    static Fault trickle(Duration every) {
        return new Trickle(every);
    }

    static Fault garbage() {
        return new Garbage("I think it's probably travel?");
    }

    static Fault garbage(String text) {
        return new Garbage(Objects.requireNonNull(text));
    }

    /** Exactly these bytes, no provider envelope: e.g. an HTML page from a proxy in front of the API. */
    static Fault rawBody(int status, String contentType, String body) {
        return new RawBody(status, contentType, body);
    }

    /** Read the request, then drop the connection with a TCP RST before writing a single byte. */
    static Fault reset() {
        return new Reset();
    }

    /** Close the socket after {@code chunks} content events: no finish reason, no terminator. */
    static Fault streamCutAfter(int chunks) {
        return new StreamCutAfter(chunks);
    }

    /** Go silent for {@code stall} after {@code chunks} content events, then finish normally. */
    static Fault streamStallAfter(int chunks, Duration stall) {
        return new StreamStallAfter(chunks, Objects.requireNonNull(stall));
    }

    /** 200 and SSE headers, then nothing at all until {@link FakeUpstream#close()}. */
    static Fault headersThenSilence() {
        return new HeadersThenSilence();
    }

    /** One <code>data: {not json</code> event after {@code afterChunks} content events; the rest is normal. */
    static Fault streamMalformedEvent(int afterChunks) {
        return new StreamMalformedEvent(afterChunks);
    }

    /**
     * Finish the stream (finish reason / {@code message_delta}) and end the chunked body cleanly, but
     * omit the terminator: {@code data: [DONE]} for OpenAI, {@code message_stop} for Anthropic.
     */
    static Fault streamNoDone() {
        return new StreamNoDone();
    }
}
