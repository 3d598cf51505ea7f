package dev.breakwater.health;

import dev.breakwater.cache.GuardedRedis;
import dev.breakwater.chain.ChainRegistry;
import dev.breakwater.chain.ModelEndpoint;
import dev.breakwater.config.EndpointConfig;
import dev.breakwater.config.GatewayConfig;
import dev.breakwater.config.GatewayConfig.ModelConfig;
import dev.breakwater.config.Provider;
import dev.breakwater.resilience.BreakerRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import jakarta.inject.Singleton;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Checks each dependency directly, around its breaker, so the answer reflects the dependency now and
 * not what the breaker last saw. Providers get a TCP connect to their base URL and nothing more: a
 * health check must never spend tokens. All probes run at once, each bounded by the probe timeout
 * (name resolution included).
 */
@Singleton
public class DependencyProbes {

    private static final String OPENAI_URL = "https://api.openai.com/v1";
    private static final String ANTHROPIC_URL = "https://api.anthropic.com/v1/";
    private static final String GEMINI_URL = "https://generativelanguage.googleapis.com/v1beta/openai";

    private final GatewayConfig config;
    private final ChainRegistry chains;
    private final BreakerRegistry breakers;
    private final ReactiveRedisDataSource redis;

    public DependencyProbes(GatewayConfig config, ChainRegistry chains, BreakerRegistry breakers,
                            ReactiveRedisDataSource redis) {
        this.config = config;
        this.chains = chains;
        this.breakers = breakers;
        this.redis = redis;
    }

    public List<DependencyStatus> probeAll() {
        Duration timeout = config.health().probeTimeout();
        List<Supplier<DependencyStatus>> probes = new ArrayList<>();
        List<String> names = new ArrayList<>();
        probes.add(this::redis);
        names.add("redis");
        for (ModelConfig model : config.models()) {
            for (EndpointConfig endpoint : EndpointConfig.of(model)) {
                probes.add(() -> model(model, endpoint, timeout));
                names.add(endpoint.service());
            }
        }
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<DependencyStatus>> running = probes.stream().map(p -> pool.submit(p::get)).toList();
            List<DependencyStatus> out = new ArrayList<>();
            for (int i = 0; i < running.size(); i++) {
                out.add(await(running.get(i), timeout, names.get(i)));
            }
            pool.shutdownNow();
            return out;
        }
    }

    private DependencyStatus await(Future<DependencyStatus> probe, Duration timeout, String name) {
        try {
            // A little slack over the probe's own timeout, so the probe reports its own failure when it can.
            return probe.get(timeout.toMillis() + 200, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            probe.cancel(true);
            return new DependencyStatus(name, name.equals("redis") ? "cache" : "model", DependencyStatus.DOWN, null,
                    null, breaker(name), "no answer within " + timeout.toMillis() + " ms");
        }
    }

    private DependencyStatus redis() {
        String target = "redis";
        if (!config.cache().enabled()) {
            return new DependencyStatus(target, "cache", "disabled", null, null, breaker(GuardedRedis.SERVICE), null);
        }
        long start = System.nanoTime();
        try {
            redis.execute("PING").await().atMost(config.health().probeTimeout());
            return new DependencyStatus(target, "cache", DependencyStatus.UP, null, millisSince(start),
                    breaker(GuardedRedis.SERVICE), null);
        } catch (RuntimeException e) {
            return new DependencyStatus(target, "cache", DependencyStatus.DOWN, null, millisSince(start),
                    breaker(GuardedRedis.SERVICE), "ping failed: " + e.getClass().getSimpleName());
        }
    }

    /** One endpoint of {@code model}: the model itself, or one of its deployments (named by its breaker). */
    private DependencyStatus model(ModelConfig model, EndpointConfig spec, Duration timeout) {
        String kind = "model:" + spec.provider().id();
        String name = spec.service();
        String breaker = breaker(name);
        if (!model.enabled()) {
            return new DependencyStatus(name, kind, "disabled", null, null, breaker, null);
        }
        if (spec.provider() == Provider.LOCAL) {
            return new DependencyStatus(name, kind, DependencyStatus.UP, null, null, breaker, "in-process");
        }
        var endpoint = chains.model(model.name()).flatMap(m -> m.endpoints().stream().filter(e -> e.service().equals(name)).findFirst());
        if (endpoint.isPresent() && !endpoint.get().available()) {
            return new DependencyStatus(name, kind, "not_configured", null, null, breaker,
                    endpoint.map(ModelEndpoint::unavailableReason).orElse(null));
        }
        URI uri = URI.create(spec.baseUrl().orElse(switch (spec.provider()) {
            case ANTHROPIC -> ANTHROPIC_URL;
            case GEMINI -> GEMINI_URL;
            case BEDROCK -> "https://bedrock-runtime." + spec.region().orElse("us-east-1") + ".amazonaws.com";
            default -> OPENAI_URL;
        }));
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        String target = uri.getHost() + ":" + port;
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), port), (int) timeout.toMillis());
            return new DependencyStatus(name, kind, DependencyStatus.UP, target, millisSince(start), breaker, null);
        } catch (Exception e) {
            return new DependencyStatus(name, kind, DependencyStatus.DOWN, target, millisSince(start), breaker,
                    "connect failed: " + e.getClass().getSimpleName());
        }
    }

    private String breaker(String service) {
        return breakers.find(service).map(c -> c.reportedState().id()).orElse(null);
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
