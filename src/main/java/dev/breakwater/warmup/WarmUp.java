package dev.breakwater.warmup;

import dev.breakwater.chain.ChainRegistry;
import dev.breakwater.config.ConfigValidator;
import dev.breakwater.config.GatewayConfig;
import dev.breakwater.resilience.BreakerSettings;
import dev.breakwater.resilience.ResiliencePolicy;
import dev.breakwater.resilience.RetrySettings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.HttpServerStart;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.ConfigProvider;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Before the gateway reports ready, it sends itself chat completions through its own HTTP port,
 * answered by a loopback model of its own: {@code warm-up.requests} of them, or as many as
 * {@code warm-up.max-duration} allows. A fresh JVM interprets its request path
 * and compiles it under load for tens of seconds; done here, its first callers meet compiled code
 * (docs/OPERATIONS.md, "Warm-up").
 * The warm-up's requests leave no trace in what operators read: no request log lines, no request or
 * model metrics (its model and breaker are withdrawn, Quarkus' HTTP server timers are reset at the end).
 */
@Singleton
public class WarmUp {

    private final GatewayConfig.WarmUp settings;
    private final GatewayConfig.Resilience resilience;
    private final WarmUpState state;
    private final ChainRegistry chains;
    private final Vertx vertx;
    private final MeterRegistry meters;
    private volatile boolean stopping;

    public WarmUp(GatewayConfig config, WarmUpState state, ChainRegistry chains, Vertx vertx, MeterRegistry meters) {
        this.settings = config.warmUp();
        this.resilience = config.resilience();
        this.state = state;
        this.chains = chains;
        this.vertx = vertx;
        this.meters = meters;
    }

    void onStart(@Observes StartupEvent started) {
        if (settings.requests() == 0) {
            state.done();
            return;
        }
        // A gateway with no plain HTTP port (TLS only) never starts the warm-up: it must not stay unready for it.
        vertx.setTimer(settings.maxDuration().toMillis(), t -> {
            if (state.phase() == WarmUpState.Phase.PENDING) {
                Log.warn("warm-up skipped: no plain HTTP port opened within warm-up.max-duration; ready without it");
                state.done();
            }
        });
    }

    void onListening(@ObservesAsync HttpServerStart started) {
        if (settings.requests() == 0 || state.phase() != WarmUpState.Phase.PENDING) {
            return;
        }
        String host = loopbackOr(started.options().getHost());
        int port = port(started.options().getPort());
        state.started();
        Thread.ofVirtual().name("breakwater-warm-up").start(() -> run(host, port));
    }

    void onStop(@Observes ShutdownEvent stop) {
        stopping = true;
    }

    private void run(String host, int port) {
        long start = System.nanoTime();
        try (LoopbackUpstream upstream = LoopbackUpstream.start(vertx);
             SelfLoad load = new SelfLoad(vertx, host, port, state, settings.concurrency(), settings.requests(),
                     start + settings.maxDuration().toNanos(), () -> stopping)) {
            chains.lend(ConfigValidator.WARM_UP_MODEL, upstream.baseUrl(), new ResiliencePolicy(
                    BreakerSettings.of(resilience.circuitBreaker()), RetrySettings.NONE, Duration.ofSeconds(10)));
            try {
                load.run().get(settings.maxDuration().toSeconds() + 30, TimeUnit.SECONDS);
            } finally {
                chains.withdraw(ConfigValidator.WARM_UP_MODEL);
                forgetHttpTimings();
                report(start, load.firstFailure());
            }
        } catch (Exception e) {
            Log.warnf("warm-up cut short: %s", e.toString());
        } finally {
            state.done();
        }
    }

    private void report(long start, String firstFailure) {
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (state.failed() > 0) {
            Log.warnf("warm-up done: %d requests answered, %d failed (the first: %s), in %d ms; ready",
                    state.answered(), state.failed(), firstFailure, millis);
        } else {
            Log.infof("warm-up done: %d requests answered, %d failed, in %d ms; ready", state.answered(), state.failed(), millis);
        }
    }

    /** Quarkus' own HTTP timers counted the warm-up's requests; they start again from the first caller's. */
    private void forgetHttpTimings() {
        meters.getMeters().stream()
                .filter(m -> m.getId().getName().startsWith("http.server.") && !(m instanceof Gauge))
                .map(Meter::getId)
                .toList()
                .forEach(meters::remove);
    }

    /** The server's own address when it is bound to one, else loopback. */
    private static String loopbackOr(String host) {
        return host == null || host.isBlank() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")
                ? "127.0.0.1" : host;
    }

    /** The port the server listens on; a random one (tests) is only known once bound, from the system properties. */
    private static int port(int configured) {
        if (configured > 0) {
            return configured;
        }
        for (String key : List.of("quarkus.http.test-port", "quarkus.http.port")) {
            String bound = System.getProperty(key);
            if (bound != null && Integer.parseInt(bound) > 0) {
                return Integer.parseInt(bound);
            }
        }
        return ConfigProvider.getConfig().getValue("quarkus.http.port", Integer.class);
    }
}
