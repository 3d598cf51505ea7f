package dev.breakwater.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.breakwater.config.GatewayConfig;
import dev.breakwater.resilience.BreakerRegistry;
import dev.breakwater.resilience.BreakerSettings;
import dev.breakwater.resilience.ResiliencePolicy;
import dev.breakwater.resilience.ResilientClient;
import dev.breakwater.resilience.RetrySettings;
import dev.breakwater.resilience.shared.SharedRedis;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.vertx.UniHelper;
import io.vertx.core.Future;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * The gateway's one way to Redis. Redis is a dependency like any other: it sits behind its own
 * breaker ("redis") and a short timeout, and every failure reads as a miss, so Redis down or slow
 * never fails a request and never costs it more than the timeout. Built at start-up so its breaker
 * shows in health and metrics before the first request.
 */
@Startup
@Singleton
public class GuardedRedis implements SharedRedis {

    public static final String SERVICE = "redis";

    private final ReactiveRedisDataSource redis;
    private final ReactiveValueCommands<String, String> values;
    private final BreakerRegistry breakers;
    private final Duration timeout;
    private final boolean enabled;
    private final ObjectMapper json;
    private final HeldConnection held;

    public GuardedRedis(GatewayConfig config, ReactiveRedisDataSource redis, BreakerRegistry breakers, ObjectMapper json) {
        this.redis = redis;
        this.values = redis.value(String.class);
        this.json = json;
        this.timeout = config.cache().timeout();
        this.enabled = config.cache().enabled();
        this.breakers = breakers;
        this.held = new HeldConnection(() -> redis.getRedis().getDelegate());
        breakers.register(SERVICE, new ResiliencePolicy(BreakerSettings.of(config.cache().circuitBreaker()),
                RetrySettings.NONE, timeout));
    }

    /** The value, or empty on a miss, with caching disabled, or on any Redis trouble. */
    public Optional<String> get(String key) {
        if (!enabled) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(guard().call(() -> values.get(key).await().atMost(timeout)));
        } catch (Exception e) {
            Log.debugf("redis read skipped: %s", e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    /** Stores with a TTL; a failure is logged at debug and otherwise ignored. */
    public void set(String key, String value, Duration ttl) {
        if (!enabled) {
            return;
        }
        try {
            guard().call(() -> values.setex(key, Math.max(1, ttl.toSeconds()), value).await().atMost(timeout));
        } catch (Exception e) {
            Log.debugf("redis write skipped: %s", e.getClass().getSimpleName());
        }
    }

    /** A JSON value read as {@code type}; an entry that no longer reads as {@code type} counts as a miss. */
    public <T> Optional<T> getJson(String key, Class<T> type) {
        return get(key).flatMap(raw -> {
            try {
                return Optional.of(json.readValue(raw, type));
            } catch (JsonProcessingException e) {
                Log.debugf("ignoring unreadable redis entry of type %s", type.getSimpleName());
                return Optional.empty();
            }
        });
    }

    public void setJson(String key, Object value, Duration ttl) {
        try {
            set(key, json.writeValueAsString(value), ttl);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /**
     * A raw command for coordination between replicas, so not behind the caching switch: the reply
     * as text (a Redis nil reads as ""), or empty on any Redis trouble.
     */
    @Override
    public Optional<String> command(String command, String... args) {
        return call(command, args, reply -> reply == null ? "" : reply.toString());
    }

    /**
     * A raw command whose structured reply the caller reads (an array, a script's result): empty on any
     * Redis trouble, and on a nil reply, so use it for commands that always answer.
     */
    public Optional<Response> reply(String command, String... args) {
        return call(command, args, reply -> reply);
    }

    /**
     * Runs {@code script} by its digest, its text sent again only when Redis no longer holds it: the reply as
     * text (nil reads as ""), or empty on any Redis trouble. Blocks at most the timeout, so never from an event loop.
     */
    public Optional<String> eval(RedisScript script, int keys, String... keysThenArgs) {
        try {
            Redis client = redis.getRedis().getDelegate();
            return Optional.of(guard().call(() -> UniHelper.<io.vertx.redis.client.Response>toUni(
                    done -> script(client::send, script, keys, keysThenArgs).onComplete(done)).map(GuardedRedis::text).await().atMost(timeout)));
        } catch (Exception e) {
            Log.debugf("redis script skipped: %s", e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    /**
     * {@link #eval} for an event loop: nothing blocks, the reply comes on the caller's Vert.x context, and the
     * Uni fails on any Redis trouble (no connection, no answer within the timeout, the breaker open) for the
     * caller to fall back on. The breaker is read but not fed: a thread-free call cannot go through its guard,
     * so a caller must stop calling on its own after a failure (caller-key limits switch to their local limiter).
     */
    public Uni<String> evalNow(RedisScript script, int keys, String... keysThenArgs) {
        return UniHelper.<io.vertx.redis.client.Response>toUni(done -> {
            if (answering()) {
                script(request -> held.send(request, timeout.toMillis()), script, keys, keysThenArgs).onComplete(done);
            } else {
                done.handle(Future.failedFuture(new CircuitBreakerOpenException(SERVICE)));
            }
        }).map(GuardedRedis::text);
    }

    /**
     * EVALSHA, then EVAL (which caches the script again) on NOSCRIPT: after a restart or a fail-over, or
     * the first time this Redis sees the script.
     */
    private static Future<io.vertx.redis.client.Response> script(Function<Request, Future<io.vertx.redis.client.Response>> send,
                                                                 RedisScript script, int keys, String[] keysThenArgs) {
        return send.apply(scriptRequest(Command.EVALSHA, script.sha1(), keys, keysThenArgs))
                .recover(failure -> failure.getMessage() != null && failure.getMessage().startsWith("NOSCRIPT")
                        ? send.apply(scriptRequest(Command.EVAL, script.text(), keys, keysThenArgs))
                        : Future.failedFuture(failure));
    }

    private static Request scriptRequest(Command command, String script, int keys, String[] keysThenArgs) {
        Request request = Request.cmd(command).arg(script).arg(keys);
        for (String arg : keysThenArgs) {
            request.arg(arg);
        }
        return request;
    }

    private static String text(io.vertx.redis.client.Response reply) {
        return reply == null ? "" : reply.toString();
    }

    private <T> Optional<T> call(String command, String[] args, Function<Response, T> read) {
        try {
            return Optional.ofNullable(guard().call(() -> read.apply(redis.execute(command, args).await().atMost(timeout))));
        } catch (Exception e) {
            Log.debugf("redis %s skipped: %s", command, e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    @Override
    public String guardService() {
        return SERVICE;
    }

    @Override
    public boolean answering() {
        return !guard().isOpenAndWaiting();
    }

    /** Looked up on every call: the admin API may have rebuilt the breaker with new settings. */
    private ResilientClient guard() {
        return breakers.find(SERVICE).orElseThrow();
    }
}
