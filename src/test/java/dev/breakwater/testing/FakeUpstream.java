package dev.breakwater.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A real HTTP/1.1 server on 127.0.0.1 that imitates an OpenAI-compatible and an Anthropic upstream,
 * and misbehaves on demand. It sits on a raw {@link ServerSocket} so faults can happen at the socket
 * level (RST, hangs, silence after headers) that an HTTP server library would not let us produce.
 *
 * <h2>Routes</h2>
 * Matching is by path suffix so a client may put {@code /v1} (or any prefix) in its base URL:
 * <ul>
 *   <li>{@code POST …/chat/completions} – OpenAI chat, JSON or SSE ({@code "stream": true})</li>
 *   <li>{@code POST …/messages} – Anthropic messages, JSON or SSE</li>
 *   <li>{@code POST …/embeddings} – OpenAI embeddings, floats or base64, see {@link #embedding}</li>
 *   <li>{@code GET …/models} – OpenAI model list</li>
 *   <li>{@code GET …/factors/{category}} – generic JSON, see {@link #factorResponse(Function)}</li>
 * </ul>
 *
 * <h2>Faults</h2>
 * Each request (any route, including 404s) consumes one fault: the head of the {@link #enqueue script}
 * if there is one, otherwise the {@link #setFault default}. See {@link Fault} for what each one does.
 *
 * <h2>Usage numbers</h2>
 * Unless fixed with {@link #fixedUsage(int, int)}, usage is derived by {@link #usageFor}: prompt tokens =
 * words in all message texts (plus Anthropic's {@code system}), completion tokens = words in the answer.
 *
 * <p>All setters are thread-safe and take effect for the next request.
 */
public final class FakeUpstream implements AutoCloseable {

    public static final String DEFAULT_CONTENT = "{\"category\":\"6\",\"confidence\":0.92}";
    public static final String DEFAULT_MODEL = "fake-model";
    /** Vector length of an embeddings answer when the request names no {@code dimensions}. */
    public static final int EMBEDDING_DIMENSIONS = 8;

    /** Long words are cut so that even a one-word JSON answer streams as several chunks. */
    private static final int MAX_PIECE_CHARS = 8;

    private final ServerSocket serverSocket;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private final AtomicLong ids = new AtomicLong();
    private final Thread acceptor;
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean closed;

    private final Queue<Fault> script = new ConcurrentLinkedQueue<>();
    private final List<RecordedRequest> recordings = new ArrayList<>(); // guarded by itself
    private final List<java.time.Instant> disconnects = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicLong served = new AtomicLong();
    private final Object watch = new Object();
    private int watchedInFlight; // guarded by watch: requests started during the current watch, not yet finished
    private int highWater; // guarded by watch
    private boolean watching; // guarded by watch
    private int watchNumber; // guarded by watch
    private volatile boolean recording = true;
    private volatile Fault defaultFault;
    private volatile Function<RecordedRequest, String> responder;
    private volatile List<ToolCall> toolCalls;
    private volatile String modelName;
    private volatile List<String> modelIds;
    private volatile Usage fixedUsage;
    private volatile Usage lastUsage;
    private volatile Function<String, FakeResponse> factorResponder;
    private volatile ProviderLayout layout;

    private FakeUpstream(ServerSocket serverSocket) {
        this.serverSocket = serverSocket;
        restoreDefaults();
        this.acceptor = Thread.ofVirtual().name("fake-upstream-accept-" + port()).start(this::acceptLoop);
    }

    // ---- lifecycle -----------------------------------------------------------------------------

    public static FakeUpstream start() {
        return start(0);
    }

    /** @param port a fixed port, or 0 for an ephemeral one */
    public static FakeUpstream start(int port) {
        return start("127.0.0.1", port);
    }

    /**
     * @param bindAddress {@code 0.0.0.0} when the upstream runs as a stand-alone mock in a container
     * @param port        a fixed port, or 0 for an ephemeral one
     */
    public static FakeUpstream start(String bindAddress, int port) {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true); // a fixed port must be re-bindable right after a previous test
            // A deep backlog: load tests open thousands of connections at once.
            socket.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), port), 16_384);
            return new FakeUpstream(socket);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start fake upstream on " + bindAddress + ":" + port, e);
        }
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    /** {@code http://127.0.0.1:PORT}, without {@code /v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** Closes the listener and every open connection, including hung and stalled ones. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closedLatch.countDown();
        closeQuietly(serverSocket);
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
        try {
            acceptor.join(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                pause(Duration.ofMillis(10)); // closed (the loop ends) or e.g. out of file handles: don't spin
                continue;
            }
            sockets.add(socket);
            accepted.incrementAndGet();
            if (closed) { // close() may have iterated the set before we added this one
                closeQuietly(socket);
                return;
            }
            Thread.ofVirtual().name("fake-upstream-conn-" + port())
                    .start(() -> new ConnectionHandler(this, socket).run());
        }
    }

    // ---- behaviour -----------------------------------------------------------------------------

    /** Back to a pristine upstream: default answer, no faults, echoed model, derived usage, no recordings. */
    public FakeUpstream restoreDefaults() {
        script.clear();
        defaultFault = Fault.ok();
        responder = request -> DEFAULT_CONTENT;
        toolCalls = List.of();
        modelName = null;
        modelIds = null;
        fixedUsage = null;
        lastUsage = null;
        factorResponder = FakeUpstream::defaultFactor;
        clearRecordings();
        return this;
    }

    /**
     * Serve only at a provider's URL layout and auth (kept by {@link #restoreDefaults()}: it is what
     * this fake is, not how it behaves).
     */
    public FakeUpstream speak(ProviderLayout layout) {
        this.layout = layout;
        return this;
    }

    ProviderLayout layout() {
        return layout;
    }

    /** The assistant text of every answer (the content the caller's parser will see). */
    public FakeUpstream respondWith(String content) {
        Objects.requireNonNull(content);
        return respondWith(request -> content);
    }

    /** Computes the assistant text (and no tool calls) from the request; an exception becomes a 500 from the upstream. */
    public FakeUpstream respondWith(Function<RecordedRequest, String> responder) {
        this.responder = Objects.requireNonNull(responder);
        this.toolCalls = List.of();
        return this;
    }

    /**
     * Answer with tool calls (Anthropic: {@code tool_use} blocks after the text, {@code stop_reason: tool_use};
     * streamed as {@code input_json_delta} fragments). {@code text} may be empty: then there is no text block.
     */
    public FakeUpstream respondWithToolCalls(String text, ToolCall... calls) {
        respondWith(text);
        this.toolCalls = List.of(calls);
        return this;
    }

    /** The fault for every request that the {@link #enqueue script} does not cover. */
    public FakeUpstream setFault(Fault fault) {
        this.defaultFault = Objects.requireNonNull(fault);
        return this;
    }

    /** Faults for the next requests, one each, in order; then {@link #setFault the default} again. */
    public FakeUpstream enqueue(Fault... faults) {
        script.addAll(Arrays.asList(faults));
        return this;
    }

    public int pendingFaults() {
        return script.size();
    }

    /** What the upstream reports in {@code model}; {@code null} echoes the request's model. */
    public FakeUpstream modelName(String modelName) {
        this.modelName = modelName;
        return this;
    }

    /** Ids listed by {@code GET /v1/models}; by default the {@link #modelName} or {@value #DEFAULT_MODEL}. */
    public FakeUpstream models(String... ids) {
        this.modelIds = List.of(ids);
        return this;
    }

    /** Report these token counts in every answer instead of deriving them. */
    public FakeUpstream fixedUsage(int promptTokens, int completionTokens) {
        this.fixedUsage = new Usage(promptTokens, completionTokens);
        return this;
    }

    /** Go back to usage derived by {@link #usageFor}. */
    public FakeUpstream derivedUsage() {
        this.fixedUsage = null;
        return this;
    }

    /** The usage reported by the most recent chat answer (streamed or not), or {@code null}. */
    public Usage lastUsage() {
        return lastUsage;
    }

    /** The answer of {@code GET /v1/factors/{category}} (category URL-decoded). */
    public FakeUpstream factorResponse(Function<String, FakeResponse> responder) {
        this.factorResponder = Objects.requireNonNull(responder);
        return this;
    }

    /**
     * The deterministic usage rule: prompt = words of all message texts (and Anthropic {@code system}),
     * completion = words of the answer text.
     */
    public static Usage usageFor(RecordedRequest request, String content) {
        JsonNode body = request.json();
        int prompt = Json.words(Json.text(body.path("system")));
        for (JsonNode message : body.path("messages")) {
            prompt += Json.words(Json.text(message.path("content")));
        }
        return new Usage(prompt, Json.words(content));
    }

    /**
     * How an answer is cut into streamed content events: words (with their trailing space), and words
     * longer than {@value #MAX_PIECE_CHARS} chars in slices. Concatenated, the pieces are the content.
     */
    public static List<String> streamPieces(String content) {
        List<String> pieces = new ArrayList<>();
        for (String word : content.split("(?<=\\s)(?=\\S)")) {
            int start = 0;
            while (word.length() - start > MAX_PIECE_CHARS) {
                int end = start + MAX_PIECE_CHARS;
                if (Character.isHighSurrogate(word.charAt(end - 1))) {
                    end--; // never split a surrogate pair across two events
                }
                pieces.add(word.substring(start, end));
                start = end;
            }
            pieces.add(word.substring(start));
        }
        return pieces; // "" yields [""]: one (empty) content event, as real APIs send
    }

    /** The fake's embedding of one input (its JSON text): deterministic, so a test can compute what a caller must get. */
    public static float[] embedding(String inputJson, int dimensions) {
        java.util.Random random = new java.util.Random(inputJson.hashCode());
        float[] vector = new float[dimensions];
        for (int i = 0; i < dimensions; i++) {
            vector[i] = random.nextFloat() * 2 - 1;
        }
        return vector;
    }

    // ---- observation ---------------------------------------------------------------------------

    /**
     * Stop keeping each request (benchmarks and load tests send millions); {@link #totalRequests()}
     * still counts them, {@link #requests()} stays empty.
     */
    public FakeUpstream recordRequests(boolean recording) {
        this.recording = recording;
        return this;
    }

    /** Every request received since start, recorded or not; {@link #clearRecordings()} does not reset it. */
    public long totalRequests() {
        return served.get();
    }

    public int requestCount() {
        synchronized (recordings) {
            return recordings.size();
        }
    }

    public int requestCount(String path) {
        return (int) requests().stream().filter(r -> r.path().equals(path)).count();
    }

    public List<RecordedRequest> requests() {
        synchronized (recordings) {
            return List.copyOf(recordings);
        }
    }

    /** The most recent request, or {@code null} if none has arrived. */
    public RecordedRequest lastRequest() {
        synchronized (recordings) {
            return recordings.isEmpty() ? null : recordings.get(recordings.size() - 1);
        }
    }

    /** Connections accepted since the start: a client that keeps its connections alive opens few. */
    public int connectionsAccepted() {
        return accepted.get();
    }

    public void clearRecordings() {
        synchronized (recordings) {
            recordings.clear();
        }
        disconnects.clear();
    }

    /** When clients left connections held by {@link Fault#hangUntilClientLeaves()}, in order. */
    public List<java.time.Instant> disconnects() {
        return List.copyOf(disconnects);
    }

    void recordDisconnect(java.time.Instant at) {
        disconnects.add(at);
    }

    /** Waits until at least {@code n} requests have been recorded; {@code false} on timeout. */
    public boolean awaitRequests(int n, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (recordings) {
            while (recordings.size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(recordings, left);
            }
            return true;
        }
    }

    // ---- used by ConnectionHandler -------------------------------------------------------------

    /**
     * Starts watching concurrency: {@link #highWater()} is then the most requests in flight at once among those
     * that start from now until the first request that ends with a successful answer (e.g. the probes of a recovering
     * service, all of them up to the first one that succeeds).
     */
    public void watchUntilFirstSuccess() {
        synchronized (watch) {
            watchNumber++;
            watchedInFlight = 0;
            highWater = 0;
            watching = true;
        }
    }

    public int highWater() {
        synchronized (watch) {
            return highWater;
        }
    }

    /** Whether the watch started by {@link #watchUntilFirstSuccess()} saw its successful answer. */
    public boolean watchEnded() {
        synchronized (watch) {
            return !watching;
        }
    }

    /**
     * Counts a request in the watch if one is on, and returns the watch's number for {@link #finished}, else 0. A
     * request already in flight when the watch starts is not counted: on a loaded machine the requests of the phase
     * before (answered, but not yet counted out by their server threads) would otherwise show as probes.
     */
    int started() {
        synchronized (watch) {
            if (!watching) {
                return 0;
            }
            highWater = Math.max(highWater, ++watchedInFlight);
            return watchNumber;
        }
    }

    /**
     * A successful answer is about to be written. The watch ends here, not when the request is done: the
     * client may read the answer (and its peers hear of the success and call) before this thread gets to
     * count the request out, which on a loaded machine takes tens of milliseconds; a call made after the
     * success would then count as a probe beside it.
     */
    void answering(int watched) {
        synchronized (watch) {
            // Only a request counted in this watch ends it: one begun before (not a probe) must not end it uncounted.
            if (watched != 0 && watched == watchNumber) {
                watching = false;
            }
        }
    }

    void finished(int watched) {
        synchronized (watch) {
            if (watched != 0 && watched == watchNumber) {
                watchedInFlight--;
            }
        }
    }

    RecordedRequest record(HttpWire.Request request) {
        RecordedRequest recorded = new RecordedRequest(request.method(), request.path(), request.headers(),
                request.bodyText(), Instant.now());
        served.incrementAndGet();
        if (!recording) {
            return recorded;
        }
        synchronized (recordings) {
            recordings.add(recorded);
            recordings.notifyAll();
        }
        return recorded;
    }

    Fault nextFault() {
        Fault scripted = script.poll();
        return scripted != null ? scripted : defaultFault;
    }

    String contentFor(RecordedRequest request) {
        return Objects.requireNonNull(responder.apply(request), "responder returned null");
    }

    List<ToolCall> toolCalls() {
        return toolCalls;
    }

    String modelFor(RecordedRequest request) {
        String override = modelName;
        if (override != null) {
            return override;
        }
        String requested = request.model();
        return requested != null ? requested : DEFAULT_MODEL;
    }

    List<String> modelIds() {
        List<String> ids = modelIds;
        if (ids != null) {
            return ids;
        }
        String override = modelName;
        return List.of(override != null ? override : DEFAULT_MODEL);
    }

    /** The usage to put in an answer, remembered for {@link #lastUsage()}. */
    Usage reportUsage(RecordedRequest request, String content) {
        Usage fixed = fixedUsage;
        Usage usage = fixed != null ? fixed : usageFor(request, content);
        lastUsage = usage;
        return usage;
    }

    String nextId(String prefix) {
        return prefix + "fake" + ids.incrementAndGet();
    }

    FakeResponse factorFor(String category) {
        return factorResponder.apply(category);
    }

    boolean isClosed() {
        return closed;
    }

    /** Sleeps, but wakes up at once on close(); {@code false} means the server is closing. */
    boolean pause(Duration duration) {
        try {
            return !closedLatch.await(duration.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void awaitClose() {
        try {
            closedLatch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void forget(Socket socket) {
        sockets.remove(socket);
    }

    private static FakeResponse defaultFactor(String category) {
        return FakeResponse.ok(Json.write(Json.object()
                .put("category", category)
                .put("factor", 0.233)
                .put("unit", "kgCO2e/kWh")
                .put("reference", "fake")));
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing is best effort; the peer may already be gone
        }
    }
}
