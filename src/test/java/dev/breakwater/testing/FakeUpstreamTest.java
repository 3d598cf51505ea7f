package dev.breakwater.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeUpstreamTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OPENAI_BODY = """
            {"model":"gpt-4o-mini","messages":[{"role":"system","content":"You classify expenses"},\
            {"role":"user","content":"Train ticket to Lyon"}]}""";
    private static final String OPENAI_STREAM_BODY = """
            {"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},\
            "messages":[{"role":"user","content":"Train ticket to Lyon"}]}""";
    private static final String ANTHROPIC_BODY = """
            {"model":"claude-3-5-haiku-latest","max_tokens":100,"system":"You classify expenses",\
            "messages":[{"role":"user","content":[{"type":"text","text":"Train ticket to Lyon"}]}]}""";
    private static final String ANTHROPIC_STREAM_BODY = """
            {"model":"claude-3-5-haiku-latest","max_tokens":100,"stream":true,\
            "messages":[{"role":"user","content":"Train ticket to Lyon"}]}""";

    private FakeUpstream upstream;
    private HttpClient client;

    @BeforeEach
    void setUp() {
        upstream = FakeUpstream.start();
        client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1))
                .build();
    }

    @AfterEach
    void tearDown() {
        upstream.close();
        client.close();
    }

    // ---- wire formats --------------------------------------------------------------------------

    @Test
    void openAiCompletionHasTheWireShapeAndDerivedUsage() throws Exception {
        HttpResponse<String> response = post("/v1/chat/completions", OPENAI_BODY);

        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("content-type").orElseThrow());
        JsonNode body = JSON.readTree(response.body());
        assertTrue(body.path("id").asText().startsWith("chatcmpl-"));
        assertEquals("chat.completion", body.path("object").asText());
        assertTrue(body.path("created").asLong() > 1_600_000_000L);
        assertEquals("gpt-4o-mini", body.path("model").asText());
        JsonNode choice = body.path("choices").path(0);
        assertEquals(0, choice.path("index").asInt());
        assertEquals("assistant", choice.path("message").path("role").asText());
        assertEquals(FakeUpstream.DEFAULT_CONTENT, choice.path("message").path("content").asText());
        assertEquals("stop", choice.path("finish_reason").asText());
        // 3 words of system prompt + 4 of user message; the default answer is a single "word".
        assertEquals(7, body.path("usage").path("prompt_tokens").asInt());
        assertEquals(1, body.path("usage").path("completion_tokens").asInt());
        assertEquals(8, body.path("usage").path("total_tokens").asInt());
        assertEquals(new Usage(7, 1), upstream.lastUsage());
    }

    @Test
    void pathsWithoutV1AndModelListAreServed() throws Exception {
        assertEquals(200, post("/chat/completions", OPENAI_BODY).statusCode());
        assertEquals(200, post("/messages", ANTHROPIC_BODY).statusCode());

        HttpResponse<String> models = get("/v1/models");
        assertEquals(200, models.statusCode());
        JsonNode list = JSON.readTree(models.body());
        assertEquals("list", list.path("object").asText());
        assertEquals(FakeUpstream.DEFAULT_MODEL, list.path("data").path(0).path("id").asText());
        assertEquals("model", list.path("data").path(0).path("object").asText());
        assertEquals("fake", list.path("data").path(0).path("owned_by").asText());

        upstream.models("a", "b");
        assertEquals(2, JSON.readTree(get("/models").body()).path("data").size());
        assertEquals(404, get("/v1/nothing-here").statusCode());
    }

    @Test
    void openAiStreamSendsChunksFinishUsageAndDone() throws Exception {
        List<String> lines = postStreaming("/v1/chat/completions", OPENAI_STREAM_BODY).lines;

        List<String> data = dataPayloads(lines);
        assertEquals("[DONE]", data.get(data.size() - 1));
        List<JsonNode> chunks = new ArrayList<>();
        for (String payload : data.subList(0, data.size() - 1)) {
            chunks.add(JSON.readTree(payload));
        }
        int pieces = FakeUpstream.streamPieces(FakeUpstream.DEFAULT_CONTENT).size();
        assertTrue(pieces > 1, "the default answer must stream as several chunks");
        assertEquals(pieces + 2, chunks.size(), "content chunks + finish chunk + usage chunk");

        StringBuilder content = new StringBuilder();
        for (JsonNode chunk : chunks.subList(0, pieces)) {
            assertEquals("chat.completion.chunk", chunk.path("object").asText());
            assertTrue(chunk.path("choices").path(0).path("finish_reason").isNull());
            content.append(chunk.path("choices").path(0).path("delta").path("content").asText());
        }
        assertEquals("assistant", chunks.get(0).path("choices").path(0).path("delta").path("role").asText());
        assertEquals(FakeUpstream.DEFAULT_CONTENT, content.toString());
        assertEquals("stop", chunks.get(pieces).path("choices").path(0).path("finish_reason").asText());
        JsonNode usageChunk = chunks.get(pieces + 1);
        assertEquals(0, usageChunk.path("choices").size());
        assertEquals(4, usageChunk.path("usage").path("prompt_tokens").asInt());
        assertEquals(1, usageChunk.path("usage").path("completion_tokens").asInt());
    }

    @Test
    void anthropicMessageHasTheWireShape() throws Exception {
        HttpResponse<String> response = post("/v1/messages", ANTHROPIC_BODY);

        assertEquals(200, response.statusCode());
        JsonNode body = JSON.readTree(response.body());
        assertTrue(body.path("id").asText().startsWith("msg_"));
        assertEquals("message", body.path("type").asText());
        assertEquals("assistant", body.path("role").asText());
        assertEquals("claude-3-5-haiku-latest", body.path("model").asText());
        assertEquals("text", body.path("content").path(0).path("type").asText());
        assertEquals(FakeUpstream.DEFAULT_CONTENT, body.path("content").path(0).path("text").asText());
        assertEquals("end_turn", body.path("stop_reason").asText());
        assertTrue(body.path("stop_sequence").isNull());
        assertEquals(7, body.path("usage").path("input_tokens").asInt(), "system prompt counts too");
        assertEquals(1, body.path("usage").path("output_tokens").asInt());
    }

    @Test
    void anthropicStreamFollowsTheEventSequence() throws Exception {
        upstream.respondWith("Travel by train");
        List<String> lines = postStreaming("/v1/messages", ANTHROPIC_STREAM_BODY).lines;

        List<String> events = lines.stream().filter(l -> l.startsWith("event: ")).map(l -> l.substring(7)).toList();
        assertEquals(List.of("message_start", "content_block_start", "content_block_delta", "content_block_delta",
                "content_block_delta", "content_block_stop", "message_delta", "message_stop"), events);
        StringBuilder text = new StringBuilder();
        JsonNode messageDelta = null;
        for (String payload : dataPayloads(lines)) {
            JsonNode event = JSON.readTree(payload);
            switch (event.path("type").asText()) {
                case "content_block_delta" -> {
                    assertEquals("text_delta", event.path("delta").path("type").asText());
                    text.append(event.path("delta").path("text").asText());
                }
                case "message_delta" -> messageDelta = event;
                case "message_start" -> assertEquals(4, event.path("message").path("usage").path("input_tokens").asInt());
                default -> { }
            }
        }
        assertEquals("Travel by train", text.toString());
        assertNotNull(messageDelta);
        assertEquals("end_turn", messageDelta.path("delta").path("stop_reason").asText());
        assertEquals(3, messageDelta.path("usage").path("output_tokens").asInt());
    }

    @Test
    void answerModelAndUsageAreProgrammable() throws Exception {
        upstream.respondWith(request -> "echo: " + request.lastUserMessage())
                .modelName("upstream-model-v2")
                .fixedUsage(100, 20);

        JsonNode body = JSON.readTree(post("/v1/chat/completions", OPENAI_BODY).body());

        assertEquals("echo: Train ticket to Lyon", body.path("choices").path(0).path("message").path("content").asText());
        assertEquals("upstream-model-v2", body.path("model").asText());
        assertEquals(120, body.path("usage").path("total_tokens").asInt());

        upstream.respondWith(request -> {
            throw new IllegalStateException("boom");
        });
        assertEquals(500, post("/v1/chat/completions", OPENAI_BODY).statusCode());
    }

    // ---- faults: status codes ------------------------------------------------------------------

    @Test
    void statusFaultsUseEachProvidersErrorShape() throws Exception {
        upstream.enqueue(Fault.serviceUnavailable(), Fault.contextLengthExceeded(), Fault.invalidApiKey(),
                Fault.contentPolicy(), Fault.status(418, "teapot_error", "short_and_stout", "I'm a teapot"));

        HttpResponse<String> unavailable = post("/v1/chat/completions", OPENAI_BODY);
        assertEquals(503, unavailable.statusCode());
        assertEquals("server_error", JSON.readTree(unavailable.body()).path("error").path("type").asText());

        HttpResponse<String> tooLong = post("/v1/chat/completions", OPENAI_BODY);
        assertEquals(400, tooLong.statusCode());
        JsonNode error = JSON.readTree(tooLong.body()).path("error");
        assertEquals("context_length_exceeded", error.path("code").asText());
        assertEquals("invalid_request_error", error.path("type").asText());
        assertTrue(error.has("param") && error.path("param").isNull());

        HttpResponse<String> badKey = post("/v1/messages", ANTHROPIC_BODY);
        assertEquals(401, badKey.statusCode());
        JsonNode anthropicError = JSON.readTree(badKey.body());
        assertEquals("error", anthropicError.path("type").asText());
        assertEquals("authentication_error", anthropicError.path("error").path("type").asText());

        HttpResponse<String> policy = post("/v1/chat/completions", OPENAI_BODY);
        assertEquals(400, policy.statusCode());
        assertEquals("content_policy_violation", JSON.readTree(policy.body()).path("error").path("code").asText());

        HttpResponse<String> custom = post("/v1/chat/completions", OPENAI_BODY);
        assertEquals(418, custom.statusCode());
        assertEquals("I'm a teapot", JSON.readTree(custom.body()).path("error").path("message").asText());

        assertEquals(200, post("/v1/chat/completions", OPENAI_BODY).statusCode(), "script used up: default ok");
    }

    @Test
    void rateLimitedSendsRetryAfter() throws Exception {
        upstream.setFault(Fault.rateLimited(7));

        HttpResponse<String> openAi = post("/v1/chat/completions", OPENAI_BODY);
        assertEquals(429, openAi.statusCode());
        assertEquals("7", openAi.headers().firstValue("retry-after").orElseThrow());
        assertEquals("rate_limit_exceeded", JSON.readTree(openAi.body()).path("error").path("code").asText());

        HttpResponse<String> anthropic = post("/v1/messages", ANTHROPIC_BODY);
        assertEquals(429, anthropic.statusCode());
        assertEquals("7", anthropic.headers().firstValue("retry-after").orElseThrow());
        assertEquals("rate_limit_error", JSON.readTree(anthropic.body()).path("error").path("type").asText());
    }

    @Test
    void defaultFaultStaysAndScriptComesFirst() throws Exception {
        upstream.setFault(Fault.serviceUnavailable()).enqueue(Fault.ok(), Fault.rateLimited(1));
        assertEquals(2, upstream.pendingFaults());

        assertEquals(200, post("/v1/chat/completions", OPENAI_BODY).statusCode());
        assertEquals(429, post("/v1/chat/completions", OPENAI_BODY).statusCode());
        assertEquals(503, post("/v1/chat/completions", OPENAI_BODY).statusCode());
        assertEquals(503, post("/v1/chat/completions", OPENAI_BODY).statusCode());

        upstream.setFault(Fault.ok());
        assertEquals(200, post("/v1/chat/completions", OPENAI_BODY).statusCode());
    }

    // ---- faults: socket level ------------------------------------------------------------------

    @Test
    void hangIsDetectedByAClientTimeoutAndReleasedByClose() throws Exception {
        upstream.setFault(Fault.hang());

        HttpRequest request = chatRequest("/v1/chat/completions", OPENAI_BODY).timeout(Duration.ofMillis(300)).build();
        assertThrows(HttpTimeoutException.class, () -> client.send(request, HttpResponse.BodyHandlers.ofString()));
        assertEquals(1, upstream.requestCount(), "the request was read before hanging");

        CompletableFuture<HttpResponse<String>> pending = client.sendAsync(
                chatRequest("/v1/chat/completions", OPENAI_BODY).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(upstream.awaitRequests(2, Duration.ofSeconds(1)));
        long start = System.nanoTime();
        upstream.close();
        assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(500), "close() must be prompt");
        Exception failure = assertThrows(Exception.class, () -> pending.get(1, TimeUnit.SECONDS));
        assertFalse(failure instanceof TimeoutException, "closing the upstream must free a hung client");
    }

    @Test
    void slowFirstByteDelaysThenAnswers() throws Exception {
        upstream.enqueue(Fault.slowFirstByte(Duration.ofMillis(300)));

        long start = System.nanoTime();
        HttpResponse<String> response = post("/v1/chat/completions", OPENAI_BODY);

        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(300));
        assertEquals(200, response.statusCode());
    }

    @Test
    void resetSurfacesAsIOException() {
        upstream.setFault(Fault.reset());

        HttpRequest request = chatRequest("/v1/chat/completions", OPENAI_BODY).timeout(Duration.ofSeconds(2)).build();
        IOException failure = assertThrows(IOException.class,
                () -> client.send(request, HttpResponse.BodyHandlers.ofString()));

        assertFalse(failure instanceof HttpTimeoutException, "a reset must fail fast, not time out");
        assertEquals(1, upstream.requestCount());
    }

    // ---- faults: bodies ------------------------------------------------------------------------

    @Test
    void garbageKeepsTheEnvelopeButTheContentIsNotJson() throws Exception {
        upstream.enqueue(Fault.garbage(), Fault.garbage());

        JsonNode openAi = JSON.readTree(post("/v1/chat/completions", OPENAI_BODY).body());
        String content = openAi.path("choices").path(0).path("message").path("content").asText();
        assertEquals("I think it's probably travel?", content);
        assertThrows(IOException.class, () -> JSON.readTree(content));

        JsonNode anthropic = JSON.readTree(post("/v1/messages", ANTHROPIC_BODY).body());
        assertEquals("I think it's probably travel?", anthropic.path("content").path(0).path("text").asText());
    }

    @Test
    void rawBodyIsSentVerbatim() throws Exception {
        upstream.enqueue(Fault.rawBody(502, "text/html", "<html>Bad gateway</html>"));

        HttpResponse<String> response = post("/v1/chat/completions", OPENAI_BODY);

        assertEquals(502, response.statusCode());
        assertEquals("text/html", response.headers().firstValue("content-type").orElseThrow());
        assertEquals("<html>Bad gateway</html>", response.body());
    }

    // ---- faults: streaming ---------------------------------------------------------------------

    @Test
    void streamCutStopsMidStreamWithoutFinishOrDone() throws Exception {
        upstream.setFault(Fault.streamCutAfter(2));

        StreamRead read = postStreaming("/v1/chat/completions", OPENAI_STREAM_BODY);

        assertInstanceOf(IOException.class, read.failure, "a truncated chunked body must fail the read");
        List<String> data = dataPayloads(read.lines);
        assertEquals(2, data.size());
        assertFalse(data.contains("[DONE]"));
        assertFalse(read.lines.stream().anyMatch(l -> l.contains("\"finish_reason\":\"stop\"")));
    }

    @Test
    void streamStallGoesSilentThenCompletes() throws Exception {
        // Warm the client up first: a cold JVM can be slow enough to see the first chunk only after the stall.
        postStreaming("/v1/chat/completions", OPENAI_STREAM_BODY);
        upstream.setFault(Fault.streamStallAfter(1, Duration.ofMillis(300)));

        long start = System.nanoTime();
        StreamRead read = postStreaming("/v1/chat/completions", OPENAI_STREAM_BODY);

        assertNull(read.failure);
        assertTrue(read.endedAtNanos - start >= TimeUnit.MILLISECONDS.toNanos(300));
        assertTrue(read.endedAtNanos - read.firstBytesAtNanos >= TimeUnit.MILLISECONDS.toNanos(200),
                "the silence comes after the first chunk, not before the headers");
        List<String> data = dataPayloads(read.lines);
        assertEquals("[DONE]", data.get(data.size() - 1));
    }

    @Test
    void headersThenSilenceSendsHeadersButNoEvent() throws Exception {
        upstream.setFault(Fault.headersThenSilence());

        HttpResponse<InputStream> response = client.send(
                chatRequest("/v1/chat/completions", OPENAI_STREAM_BODY).timeout(Duration.ofSeconds(1)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("content-type").orElseThrow().startsWith("text/event-stream"));

        CompletableFuture<Integer> firstByte = CompletableFuture.supplyAsync(() -> {
            try (InputStream body = response.body()) {
                return body.read();
            } catch (IOException e) {
                return -2;
            }
        });
        assertThrows(TimeoutException.class, () -> firstByte.get(300, TimeUnit.MILLISECONDS));
        upstream.close();
        assertTrue(firstByte.get(1, TimeUnit.SECONDS) < 0, "close() ends the silent stream");
    }

    @Test
    void streamMalformedEventIsInTheMiddleAndTheRestCompletes() throws Exception {
        upstream.setFault(Fault.streamMalformedEvent(1));

        List<String> data = dataPayloads(postStreaming("/v1/chat/completions", OPENAI_STREAM_BODY).lines);

        assertEquals("{not json", data.get(1));
        assertEquals("[DONE]", data.get(data.size() - 1));
        assertTrue(data.stream().anyMatch(d -> d.contains("\"finish_reason\":\"stop\"")));
    }

    @Test
    void streamNoDoneEndsCleanlyWithoutTerminator() throws Exception {
        upstream.setFault(Fault.streamNoDone());

        StreamRead openAi = postStreaming("/v1/chat/completions", OPENAI_STREAM_BODY);
        assertNull(openAi.failure, "the body must end cleanly");
        List<String> data = dataPayloads(openAi.lines);
        assertFalse(data.contains("[DONE]"));
        assertTrue(data.stream().anyMatch(d -> d.contains("\"finish_reason\":\"stop\"")));

        StreamRead anthropic = postStreaming("/v1/messages", ANTHROPIC_STREAM_BODY);
        assertNull(anthropic.failure);
        assertTrue(anthropic.lines.contains("event: message_delta"));
        assertFalse(anthropic.lines.contains("event: message_stop"));
    }

    @Test
    void streamFaultOnANonStreamingRequestAnswersNormallyAndIsConsumed() throws Exception {
        upstream.enqueue(Fault.streamCutAfter(1));

        assertEquals(200, post("/v1/chat/completions", OPENAI_BODY).statusCode());
        assertEquals(0, upstream.pendingFaults());
    }

    // ---- factors route -------------------------------------------------------------------------

    @Test
    void factorsRouteHasADefaultIsProgrammableAndTakesFaults() throws Exception {
        JsonNode factor = JSON.readTree(get("/v1/factors/electricity").body());
        assertEquals("electricity", factor.path("category").asText());
        assertEquals(0.233, factor.path("factor").asDouble());
        assertEquals("kgCO2e/kWh", factor.path("unit").asText());
        assertEquals("fake", factor.path("reference").asText());

        upstream.factorResponse(category -> category.equals("unknown")
                ? FakeResponse.of(404, "{\"error\":\"no factor\"}")
                : FakeResponse.ok("{\"category\":\"" + category + "\",\"factor\":1.5}"));
        assertEquals(1.5, JSON.readTree(get("/v1/factors/gas").body()).path("factor").asDouble());
        assertEquals(404, get("/v1/factors/unknown").statusCode());

        upstream.enqueue(Fault.serviceUnavailable(), Fault.rateLimited(2));
        assertEquals(503, get("/v1/factors/gas").statusCode());
        assertEquals("2", get("/v1/factors/gas").headers().firstValue("retry-after").orElseThrow());
        assertEquals(3, upstream.requestCount("/v1/factors/gas"));
    }

    // ---- observation ---------------------------------------------------------------------------

    @Test
    void requestsAreRecordedAndCountedExactly() throws Exception {
        post("/v1/chat/completions", OPENAI_BODY);
        post("/v1/chat/completions", OPENAI_BODY);
        post("/v1/messages", ANTHROPIC_BODY);
        get("/v1/models?limit=5");

        assertEquals(4, upstream.requestCount());
        assertEquals(2, upstream.requestCount("/v1/chat/completions"));
        assertEquals(1, upstream.requestCount("/v1/messages"));
        assertEquals(1, upstream.requestCount("/v1/models"), "query string is not part of the path");

        RecordedRequest chat = upstream.requests().get(0);
        assertEquals("POST", chat.method());
        assertEquals(OPENAI_BODY, chat.body());
        assertEquals("Bearer sk-test", chat.headers().get("authorization"));
        assertEquals("gpt-4o-mini", chat.model());
        assertFalse(chat.stream());
        assertEquals("GET", upstream.lastRequest().method());

        upstream.clearRecordings();
        assertEquals(0, upstream.requestCount());
        assertNull(upstream.lastRequest());
    }

    @Test
    void awaitRequestsWaitsForAsyncCallers() throws Exception {
        upstream.enqueue(Fault.slowFirstByte(Duration.ofMillis(100)), Fault.slowFirstByte(Duration.ofMillis(100)));
        client.sendAsync(chatRequest("/v1/chat/completions", OPENAI_BODY).build(), HttpResponse.BodyHandlers.ofString());
        client.sendAsync(chatRequest("/v1/chat/completions", OPENAI_BODY).build(), HttpResponse.BodyHandlers.ofString());

        assertTrue(upstream.awaitRequests(2, Duration.ofSeconds(1)));
        assertFalse(upstream.awaitRequests(3, Duration.ofMillis(100)));
    }

    // ---- raw HTTP/1.1 --------------------------------------------------------------------------

    @Test
    void keepAliveServesSeveralRequestsOnOneSocketAndChunkedBodiesAreDecoded() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", upstream.port())) {
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            byte[] body = OPENAI_BODY.getBytes(StandardCharsets.UTF_8);

            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(body);
            out.flush();
            assertEquals("HTTP/1.1 200 OK", readRawResponse(in));

            String half = OPENAI_BODY.substring(0, 20);
            String rest = OPENAI_BODY.substring(20);
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(half.length()) + "\r\n" + half + "\r\n"
                    + Integer.toHexString(rest.length()) + "\r\n" + rest + "\r\n0\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertEquals("HTTP/1.1 200 OK", readRawResponse(in));
        }
        assertEquals(2, upstream.requestCount());
        assertEquals(OPENAI_BODY, upstream.lastRequest().body());
    }

    @Test
    void garbledRequestGets400AndTheServerKeepsServing() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", upstream.port())) {
            socket.setSoTimeout(1000);
            socket.getOutputStream().write("NONSENSE\r\n\r\n".getBytes(StandardCharsets.UTF_8));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("HTTP/1.1 400 Bad Request", in.readLine());
        }
        assertEquals(200, post("/v1/chat/completions", OPENAI_BODY).statusCode());
    }

    @Test
    void startsOnAFixedPort() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try (FakeUpstream fixed = FakeUpstream.start(port)) {
            assertEquals(port, fixed.port());
            assertEquals("http://127.0.0.1:" + port, fixed.baseUrl());
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create(fixed.baseUrl() + "/v1/models")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    private HttpRequest.Builder chatRequest(String path, String body) {
        return HttpRequest.newBuilder(URI.create(upstream.baseUrl() + path))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer sk-test")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(chatRequest(path, body).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(upstream.baseUrl() + path))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends a streaming request and collects the SSE text exactly as it arrived, up to the end or failure. */
    private StreamRead postStreaming(String path, String body) throws Exception {
        SseCollector collector = new SseCollector();
        CompletableFuture<HttpResponse.ResponseInfo> head = new CompletableFuture<>();
        try {
            client.send(chatRequest(path, body).timeout(Duration.ofSeconds(2)).build(), info -> {
                head.complete(info);
                return HttpResponse.BodySubscribers.fromSubscriber(collector);
            });
        } catch (IOException e) {
            // send() waits for the whole body, so a cut stream lands here; the collector has the details.
        }
        HttpResponse.ResponseInfo info = head.get(2, TimeUnit.SECONDS);
        assertEquals(200, info.statusCode());
        assertTrue(info.headers().firstValue("content-type").orElseThrow().startsWith("text/event-stream"));
        Throwable failure = collector.done.get(2, TimeUnit.SECONDS);
        long endedAt = System.nanoTime();
        String text;
        synchronized (collector.bytes) {
            text = collector.bytes.toString(StandardCharsets.UTF_8);
        }
        return new StreamRead(text.lines().toList(), failure, collector.firstBytesAt, endedAt);
    }

    private record StreamRead(List<String> lines, Throwable failure, long firstBytesAtNanos, long endedAtNanos) {}

    /**
     * Records body bytes as they are delivered. A line-reading body handler is not good enough here: the JDK
     * client may drop bytes it already received when the connection then fails, which would hide a cut stream's
     * partial content.
     */
    private static final class SseCollector implements Flow.Subscriber<List<ByteBuffer>> {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CompletableFuture<Throwable> done = new CompletableFuture<>();
        volatile long firstBytesAt;

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            synchronized (bytes) {
                for (ByteBuffer buffer : buffers) {
                    if (buffer.hasRemaining() && firstBytesAt == 0) {
                        firstBytesAt = System.nanoTime();
                    }
                    byte[] chunk = new byte[buffer.remaining()];
                    buffer.get(chunk);
                    bytes.writeBytes(chunk);
                }
            }
        }

        @Override
        public void onError(Throwable failure) {
            done.complete(failure);
        }

        @Override
        public void onComplete() {
            done.complete(null);
        }
    }

    private static List<String> dataPayloads(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
    }

    /** Reads one Content-Length response off a raw socket (so the next one can follow) and returns its status line. */
    private static String readRawResponse(BufferedReader in) throws IOException {
        String statusLine = in.readLine();
        int length = 0;
        for (String line = in.readLine(); !line.isEmpty(); line = in.readLine()) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        char[] body = new char[length]; // the fake answers ASCII, so chars == bytes
        int read = 0;
        while (read < length) {
            read += in.read(body, read, length - read);
        }
        JSON.readTree(new String(body)); // throws unless the whole body arrived and is JSON
        return statusLine;
    }
}
