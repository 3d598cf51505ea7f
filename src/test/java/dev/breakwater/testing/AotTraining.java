package dev.breakwater.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Writes the JDK AOT cache ({@code app.aot}, JEPs 483/514/515) of a packaged gateway by a training run:
 * the gateway runs with {@code -XX:AOTCacheOutput} against a {@link FakeUpstream} on loopback and gets a
 * mix of the requests production sees (chat JSON and streamed, OpenAI and Anthropic upstreams,
 * categorize, embeddings, model list, refused bodies, health and metrics) from 32 connections for a
 * while; on SIGTERM the JVM assembles the cache from the classes it loaded and linked and the method
 * profiles it gathered. A fresh JVM started with {@code -XX:AOTCache} then maps those classes instead of
 * loading them, and its JIT starts from the recorded profiles instead of gathering them anew.
 *
 * <pre>
 *   java -cp breakwater-tests.jar:quarkus-app/lib/main/* dev.breakwater.testing.AotTraining \
 *        quarkus-app [seconds of load, 30] [JVM options of the gateway...]
 * </pre>
 * Needs only the JDK and Jackson (the gateway's own jars), so the container build runs it with the
 * image's JVM: a cache loads only into the JVM build that wrote it. The cache is written next to the jar
 * ({@code quarkus-app/app.aot}) only when the run succeeded; the gateway's log of a failed run stays in
 * the temporary directory the error names. The gateway logs as in production (request lines at INFO), so
 * that path is trained too.
 */
public final class AotTraining {

    private static final int CONNECTIONS = 32;
    private static final String KEY_ENV = "AOT_TRAINING_KEY";
    private static final Duration READY_WITHIN = Duration.ofMinutes(5);
    private static final Duration EXIT_WITHIN = Duration.ofMinutes(10);

    private final Path jar;
    private final Path cache;
    private final Duration load;
    private final List<String> jvmOptions;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, LongAdder> statuses = new ConcurrentHashMap<>();

    /** @param cache where the cache goes, replaced only by a successful run */
    public AotTraining(Path appDir, Path cache, Duration load, List<String> jvmOptions) {
        this.jar = appDir.resolve("quarkus-run.jar").toAbsolutePath();
        this.cache = cache.toAbsolutePath();
        this.load = load;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: AotTraining <quarkus-app dir> [seconds of load] [gateway JVM options...]");
            System.exit(2);
        }
        Duration load = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 30);
        List<String> options = args.length > 2 ? List.of(args).subList(2, args.length) : List.of();
        Path app = Path.of(args[0]);
        Path written = new AotTraining(app, app.resolve("app.aot"), load, options).run();
        System.out.println("AOT cache written: " + written + " (" + Files.size(written) / (1024 * 1024) + " MiB)");
    }

    /** Trains and returns the cache file; throws, leaving any earlier cache in place, when the run failed. */
    public Path run() throws IOException, InterruptedException {
        if (Runtime.version().feature() < 25) {
            throw new IllegalStateException("the AOT cache needs JDK 25 or newer; this is " + Runtime.version());
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " missing: package the gateway first");
        }
        Path work = Files.createTempDirectory("breakwater-aot-training");
        Path partial = cache.resolveSibling(cache.getFileName() + ".training");
        Files.deleteIfExists(partial);
        try (FakeUpstream upstream = FakeUpstream.start().recordRequests(false)) {
            Path log = work.resolve("gateway.log");
            int port = freePort();
            Process gateway = start(partial, work, trainingConfig(work, upstream), port, log);
            try {
                String base = "http://127.0.0.1:" + port;
                awaitReady(gateway, base, log);
                drive(base);
            } finally {
                stop(gateway, log);
            }
            if (!Files.isRegularFile(partial) || Files.size(partial) == 0) {
                throw new IllegalStateException("the JVM wrote no AOT cache; see " + log);
            }
            Files.move(partial, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            System.out.println("training requests by outcome: " + new TreeMap<>(statuses));
            deleteTree(work);
            return cache;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** SIGTERM, a normal exit: the JVM assembles the cache before it ends, so wait for that too. */
    private static void stop(Process gateway, Path log) throws InterruptedException {
        gateway.destroy();
        if (!gateway.waitFor(EXIT_WITHIN.toSeconds(), TimeUnit.SECONDS)) {
            gateway.destroyForcibly().waitFor();
            throw new IllegalStateException("the gateway did not exit within " + EXIT_WITHIN + "; see " + log);
        }
    }

    private Process start(Path output, Path work, Path config, int port, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        // The module options must be those of the runs that use the cache: the JVM refuses it otherwise.
        List<String> command = new ArrayList<>(List.of(java, "-XX:AOTCacheOutput=" + output,
                "--enable-native-access=ALL-UNNAMED"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
                "-Dquarkus.config.locations=" + config, "-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put(KEY_ENV, "sk-aot-training-not-a-secret");
        return builder.start();
    }

    /** Every provider kind the chat path translates, the categorize chain, and both embeddings paths. */
    private static Path trainingConfig(Path work, FakeUpstream upstream) throws IOException {
        String base = upstream.baseUrl();
        String yaml = """
                breakwater:
                  resilience:
                    circuit-breaker: {failure-threshold: 1000, recovery-timeout: 1s, success-threshold: 1}
                    retry: {max-retries: 0, base-delay: 10ms, max-delay: 10ms, exponential-base: 2, min-delay: 10ms}
                  models:
                    - {name: openai, provider: openai, model: gpt-4o, base-url: '%1$s/v1', api-key-env: %2$s, timeout: 10s}
                    - {name: claude, provider: anthropic, model: claude-3-sonnet, base-url: '%1$s/v1/', api-key-env: %2$s, timeout: 10s}
                    - {name: local, provider: local, model: all-minilm-l6-v2-q, timeout: 5s}
                    - {name: embed, provider: openai, model: text-embedding-3-small, base-url: '%1$s/v1', api-key-env: %2$s, embedding-space: openai-te3-small}
                  chains:
                    categorizer: {models: [openai, local]}
                    embeddings: {kind: embeddings, models: [embed]}
                  cache: {enabled: false}
                """.formatted(base, KEY_ENV);
        Path config = work.resolve("config").resolve("gateway.yaml");
        Files.createDirectories(config.getParent());
        Files.writeString(config, yaml);
        return config;
    }

    private void awaitReady(Process gateway, String base, Path log) throws InterruptedException {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (!gateway.isAlive()) {
                throw new IllegalStateException("the gateway exited during start-up; see " + log);
            }
            if (status(get(base, "/q/health/ready")) == 200) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the gateway was not ready within " + READY_WITHIN + "; see " + log);
    }

    private void drive(String base) throws InterruptedException {
        List<HttpRequest> mix = mix(base);
        AtomicLong next = new AtomicLong();
        long end = System.nanoTime() + load.toNanos();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            workers.add(Thread.ofVirtual().name("aot-training-", i).start(() -> {
                while (System.nanoTime() < end) {
                    send(mix.get((int) (next.getAndIncrement() % mix.size())));
                }
            }));
        }
        for (Thread worker : workers) {
            worker.join();
        }
        long ok = statuses.getOrDefault("200", new LongAdder()).sum();
        if (ok == 0) {
            throw new IllegalStateException("no training request succeeded: " + statuses);
        }
    }

    private void send(HttpRequest request) {
        int status = status(request);
        statuses.computeIfAbsent(status < 0 ? "no answer" : String.valueOf(status), s -> new LongAdder()).increment();
    }

    /** The status code, or -1 when the gateway did not answer. */
    private int status(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * One round of the training traffic, weighted like a chat-heavy production day: mostly OpenAI-style
     * chat, some of it streamed, some on the Anthropic translation, then categorize, embeddings, the model
     * list and a refused body; rarely the local model and the scrape endpoints.
     */
    private static List<HttpRequest> mix(String base) {
        List<HttpRequest> round = new ArrayList<>();
        add(round, 60, post(base, "/v1/chat/completions", chat("openai", false)));
        add(round, 10, post(base, "/v1/chat/completions", chat("openai", true)));
        add(round, 8, post(base, "/v1/chat/completions", chat("claude", false)));
        add(round, 4, post(base, "/v1/chat/completions", chat("claude", true)));
        add(round, 8, post(base, "/v1/categorize", "{\"text\":\"Flight to Berlin for the customer meeting\"}"));
        add(round, 4, post(base, "/v1/embeddings", "{\"model\":\"embeddings\",\"input\":[\"office chairs\",\"taxi\"]}"));
        add(round, 2, post(base, "/v1/chat/completions", "{\"model\":\"openai\",\"messages\":"));
        add(round, 1, post(base, "/v1/embeddings", "{\"model\":\"local\",\"input\":\"office chairs\"}"));
        add(round, 1, get(base, "/v1/models"));
        add(round, 1, get(base, "/q/metrics"));
        add(round, 1, get(base, "/q/health/ready"));
        return List.copyOf(round);
    }

    private static String chat(String model, boolean stream) {
        return """
                {"model":"%s","stream":%s,"messages":[{"role":"system","content":"Answer with a GHG Scope 3 category."},\
                {"role":"user","content":"Flight to Berlin for the customer meeting"}],"max_tokens":64}"""
                .formatted(model, stream);
    }

    private static void add(List<HttpRequest> round, int times, HttpRequest request) {
        for (int i = 0; i < times; i++) {
            round.add(request);
        }
    }

    private static HttpRequest post(String base, String path, String json) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private static HttpRequest get(String base, String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET().build();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
