package dev.breakwater.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Serves one connection (keep-alive: many requests) on its own virtual thread. */
final class ConnectionHandler {

    private static final String JSON = "application/json";
    private static final Pattern FACTORS = Pattern.compile(".*/factors/([^/]+)");

    private final FakeUpstream upstream;
    private final Socket socket;
    private OutputStream out;
    private InputStream in;

    ConnectionHandler(FakeUpstream upstream, Socket socket) {
        this.upstream = upstream;
        this.socket = socket;
    }

    void run() {
        try (socket) {
            socket.setTcpNoDelay(true); // SSE events must leave as soon as they are flushed
            in = new BufferedInputStream(socket.getInputStream());
            out = new BufferedOutputStream(socket.getOutputStream());
            while (!upstream.isClosed()) {
                HttpWire.Request request;
                try {
                    request = HttpWire.read(in, out);
                } catch (HttpWire.BadRequest e) {
                    writeError(OpenAiDialect.INSTANCE, 400, "invalid_request_error", e.getMessage(), false);
                    return;
                }
                if (request == null || !serve(request)) {
                    return;
                }
            }
        } catch (IOException e) {
            // The client hung up, or close() pulled the socket away: either way this connection is done.
        } finally {
            upstream.forget(socket);
        }
    }

    /** @return whether the connection can carry another request */
    private boolean serve(HttpWire.Request request) throws IOException {
        RecordedRequest recorded = upstream.record(request);
        ProviderLayout layout = upstream.layout();
        if (layout != null) {
            // Refused before any fault is taken: a request the provider would not accept does not use one up.
            var refused = layout.refuse(request);
            if (refused.isPresent()) {
                HttpWire.writeFixed(out, refused.get().status(), JSON, Map.of(), refused.get().body(), request.keepAlive());
                return request.keepAlive();
            }
        }
        Fault fault = upstream.nextFault();
        int watched = upstream.started();
        try {
            return serve(request, recorded, fault, watched);
        } finally {
            upstream.finished(watched);
        }
    }

    private boolean serve(HttpWire.Request request, RecordedRequest recorded, Fault fault, int watched) throws IOException {
        String path = stripTrailingSlash(request.path());
        Dialect dialect = path.endsWith("/messages") ? AnthropicDialect.INSTANCE
                : path.endsWith("/converse") || path.endsWith("/converse-stream") ? BedrockDialect.INSTANCE : OpenAiDialect.INSTANCE;
        boolean keepAlive = request.keepAlive();

        switch (fault) {
            case Fault.Hang hang -> {
                upstream.awaitClose();
                return false;
            }
            case Fault.HangUntilClientLeaves watch -> {
                try {
                    while (in.read() >= 0) {
                        // nothing more is expected: wait for the end of the connection
                    }
                } catch (IOException reset) {
                    // a reset is a way of leaving too
                }
                if (!upstream.isClosed()) {
                    upstream.recordDisconnect(java.time.Instant.now());
                }
                return false;
            }
            case Fault.Trickle trickle -> {
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: " + JSON + "\r\nTransfer-Encoding: chunked\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                try {
                    while (!upstream.isClosed()) {
                        out.write("1\r\n \r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        Thread.sleep(trickle.every().toMillis());
                    }
                } catch (IOException | InterruptedException left) {
                    // the client reset the connection (or the fake is closing)
                }
                if (!upstream.isClosed()) {
                    upstream.recordDisconnect(java.time.Instant.now());
                }
                return false;
            }
            case Fault.Reset reset -> {
                socket.setSoLinger(true, 0); // linger 0 turns close() into a RST instead of a FIN
                socket.close();
                return false;
            }
            case Fault.SlowFirstByte slow -> {
                if (!upstream.pause(slow.delay())) {
                    return false;
                }
            }
            case Fault.RateLimited limited -> {
                HttpWire.writeFixed(out, 429, JSON, Map.of("Retry-After", Integer.toString(limited.retryAfterSeconds())),
                        dialect.rateLimitError(limited.retryAfterSeconds()), keepAlive);
                return keepAlive;
            }
            case Fault.Status status -> {
                HttpWire.writeFixed(out, status.code(), JSON, Map.of(), dialect.error(status), keepAlive);
                return keepAlive;
            }
            case Fault.EchoKey echo -> {
                String authorization = recorded.header("authorization");
                String key = authorization != null ? authorization.replaceFirst("(?i)^bearer ", "") : recorded.header("x-api-key");
                Fault.Status status = new Fault.Status(401, "invalid_request_error", "invalid_api_key",
                        "Incorrect API key provided: " + key + ". You can find your API key in your account settings.",
                        "authentication_error");
                HttpWire.writeFixed(out, 401, JSON, Map.of(), dialect.error(status), keepAlive);
                return keepAlive;
            }
            case Fault.RawBody raw -> {
                HttpWire.writeFixed(out, raw.status(), raw.contentType(), Map.of(), raw.body(), keepAlive);
                return keepAlive;
            }
            default -> {
                // Ok, Garbage and the stream faults shape the answer itself, below.
            }
        }
        if (fault instanceof Fault.Ok || fault instanceof Fault.SlowFirstByte) {
            upstream.answering(watched);
        }

        try {
            if (path.endsWith("/embeddings")) {
                return "POST".equals(request.method())
                        ? embeddings(recorded, fault, keepAlive)
                        : methodNotAllowed(request, OpenAiDialect.INSTANCE, keepAlive);
            }
            if (path.endsWith("/chat/completions") || path.endsWith("/messages") || path.endsWith("/converse") || path.endsWith("/converse-stream")) {
                return "POST".equals(request.method())
                        ? chat(recorded, dialect, fault, keepAlive)
                        : methodNotAllowed(request, dialect, keepAlive);
            }
            if (!"GET".equals(request.method())) {
                return notFound(request, dialect, keepAlive);
            }
            if (fault instanceof Fault.Garbage garbage) {
                HttpWire.writeFixed(out, 200, JSON, Map.of(), garbage.text(), keepAlive);
                return keepAlive;
            }
            if (path.endsWith("/models")) {
                return models(keepAlive);
            }
            Matcher factors = FACTORS.matcher(path);
            if (factors.matches()) {
                FakeResponse response = upstream.factorFor(URLDecoder.decode(factors.group(1), StandardCharsets.UTF_8));
                HttpWire.writeFixed(out, response.status(), JSON, Map.of(), response.body(), keepAlive);
                return keepAlive;
            }
            return notFound(request, dialect, keepAlive);
        } catch (RuntimeException e) {
            // A broken responder is a bug in the test; a 500 with the reason makes it visible from the client.
            writeError(dialect, 500, "server_error", "fake upstream failed: " + e, keepAlive);
            return keepAlive;
        }
    }

    private boolean chat(RecordedRequest recorded, Dialect dialect, Fault fault, boolean keepAlive) throws IOException {
        if (!recorded.json().isObject()) {
            writeError(dialect, 400, "invalid_request_error", "We could not parse the JSON body of your request.",
                    keepAlive);
            return keepAlive;
        }
        String content = fault instanceof Fault.Garbage garbage ? garbage.text() : upstream.contentFor(recorded);
        Dialect.Reply reply = new Dialect.Reply(
                upstream.nextId(dialect.idPrefix()),
                upstream.modelFor(recorded),
                Instant.now().getEpochSecond(),
                content,
                upstream.reportUsage(recorded, content),
                recorded.json().path("stream_options").path("include_usage").asBoolean(false),
                upstream.toolCalls());
        if (recorded.path().endsWith("/converse-stream")) {
            HttpWire.writeFixed(out, 200, "application/vnd.amazon.eventstream", Map.of(),
                    BedrockDialect.eventStream(reply, fault instanceof Fault.StreamCutAfter cut ? cut.chunks() : -1), keepAlive);
            return keepAlive;
        }
        if (!recorded.stream()) {
            HttpWire.writeFixed(out, 200, JSON, Map.of(), dialect.completion(reply), keepAlive);
            return keepAlive;
        }
        return stream(dialect, reply, fault instanceof Fault.StreamFault streamFault ? streamFault : null, keepAlive);
    }

    /** One deterministic vector per input ({@link FakeUpstream#embedding}); prompt tokens = words, or token ids. */
    private boolean embeddings(RecordedRequest recorded, Fault fault, boolean keepAlive) throws IOException {
        JsonNode body = recorded.json();
        JsonNode input = body.path("input");
        if (!body.isObject() || input.isMissingNode()) {
            writeError(OpenAiDialect.INSTANCE, 400, "invalid_request_error", "'input' is a required property", keepAlive);
            return keepAlive;
        }
        if (fault instanceof Fault.Garbage garbage) {
            HttpWire.writeFixed(out, 200, JSON, Map.of(), garbage.text(), keepAlive);
            return keepAlive;
        }
        List<JsonNode> inputs = new ArrayList<>();
        if (input.isArray() && !input.isEmpty() && !input.get(0).isIntegralNumber()) {
            input.forEach(inputs::add);
        } else {
            inputs.add(input);
        }
        int dimensions = body.path("dimensions").asInt(FakeUpstream.EMBEDDING_DIMENSIONS);
        List<float[]> vectors = new ArrayList<>();
        int tokens = 0;
        for (JsonNode one : inputs) {
            vectors.add(FakeUpstream.embedding(one.toString(), dimensions));
            tokens += one.isTextual() ? Json.words(one.asText()) : one.size();
        }
        String answer = OpenAiDialect.INSTANCE.embeddings(vectors, upstream.modelFor(recorded),
                "base64".equals(body.path("encoding_format").asText()), tokens);
        HttpWire.writeFixed(out, 200, JSON, Map.of(), answer, keepAlive);
        return keepAlive;
    }

    private boolean stream(Dialect dialect, Dialect.Reply reply, Fault.StreamFault fault, boolean keepAlive)
            throws IOException {
        HttpWire.writeStreamHead(out, keepAlive);
        if (fault instanceof Fault.HeadersThenSilence) {
            upstream.awaitClose();
            return false;
        }
        for (String event : dialect.streamPreamble(reply)) {
            HttpWire.writeChunk(out, event);
        }
        List<String> pieces = FakeUpstream.streamPieces(reply.content());
        int faultAt = faultPosition(fault, pieces.size());
        for (int i = 0; i <= pieces.size(); i++) {
            if (i == faultAt) {
                switch (fault) {
                    case Fault.StreamCutAfter cut -> {
                        socket.close(); // mid chunked body: the client sees a truncated response
                        return false;
                    }
                    case Fault.StreamStallAfter stall -> {
                        if (!upstream.pause(stall.stall())) {
                            return false;
                        }
                    }
                    case Fault.StreamMalformedEvent malformed -> HttpWire.writeChunk(out, dialect.malformedEvent());
                    default -> {
                    }
                }
            }
            String delta = i < pieces.size() ? dialect.streamDelta(reply, pieces.get(i), i == 0) : "";
            if (!delta.isEmpty()) { // an answer with only tool calls has no text to stream
                HttpWire.writeChunk(out, delta);
            }
        }
        for (String event : dialect.streamTail(reply, !(fault instanceof Fault.StreamNoDone))) {
            HttpWire.writeChunk(out, event);
        }
        HttpWire.writeLastChunk(out);
        return keepAlive;
    }

    /** The content-piece index before which a positional stream fault fires; "after n" past the end means "before the finish". */
    private static int faultPosition(Fault.StreamFault fault, int pieces) {
        int after = switch (fault) {
            case Fault.StreamCutAfter cut -> cut.chunks();
            case Fault.StreamStallAfter stall -> stall.chunks();
            case Fault.StreamMalformedEvent malformed -> malformed.afterChunks();
            case null, default -> -1;
        };
        return after < 0 ? -1 : Math.min(after, pieces);
    }

    private boolean models(boolean keepAlive) throws IOException {
        ObjectNode root = Json.object().put("object", "list");
        ArrayNode data = root.putArray("data");
        for (String id : upstream.modelIds()) {
            data.addObject().put("id", id).put("object", "model").put("owned_by", "fake");
        }
        HttpWire.writeFixed(out, 200, JSON, Map.of(), Json.write(root), keepAlive);
        return keepAlive;
    }

    private boolean methodNotAllowed(HttpWire.Request request, Dialect dialect, boolean keepAlive) throws IOException {
        writeError(dialect, 405, "invalid_request_error",
                "Method " + request.method() + " not allowed for " + request.path(), keepAlive);
        return keepAlive;
    }

    private boolean notFound(HttpWire.Request request, Dialect dialect, boolean keepAlive) throws IOException {
        writeError(dialect, 404, "not_found_error",
                "Unknown request URL: " + request.method() + " " + request.path(), keepAlive);
        return keepAlive;
    }

    private void writeError(Dialect dialect, int status, String type, String message, boolean keepAlive)
            throws IOException {
        Fault.Status error = new Fault.Status(status, type, null, message, null);
        HttpWire.writeFixed(out, status, JSON, Map.of(), dialect.error(error), keepAlive);
    }

    private static String stripTrailingSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
