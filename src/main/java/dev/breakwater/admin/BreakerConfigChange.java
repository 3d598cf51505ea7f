package dev.breakwater.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.api.ProblemException;
import dev.breakwater.config.ResilienceLimits;
import dev.breakwater.resilience.BreakerSettings;
import dev.breakwater.resilience.ResiliencePolicy;
import dev.breakwater.resilience.RetrySettings;
import io.quarkus.runtime.configuration.DurationConverter;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * The body of {@code PUT /admin/circuit-breakers/{name}/config}: the settings to change, each one
 * optional (what is left out keeps its current value). Unknown fields are refused rather than
 * ignored, so a typo cannot pass for an applied change. Durations are a string with a unit
 * ({@code "30s"}, {@code "500ms"}) or a number of milliseconds.
 */
final class BreakerConfigChange {

    static final List<String> FIELDS = List.of("failure_threshold", "recovery_timeout", "success_threshold", "timeout",
            "max_retries", "base_delay", "max_delay", "min_delay", "exponential_base");

    private BreakerConfigChange() {
    }

    static ResiliencePolicy apply(ResiliencePolicy current, ObjectNode body) {
        if (body == null || body.isEmpty()) {
            throw ProblemException.badRequest("nothing to change: send at least one of " + FIELDS).with("fields", FIELDS);
        }
        body.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                throw ProblemException.badRequest("field '" + name + "' is unknown; known fields: " + FIELDS)
                        .with("field", name).with("fields", FIELDS);
            }
        });
        BreakerSettings b = current.breaker();
        RetrySettings r = current.retry();
        BreakerSettings breaker = new BreakerSettings(
                integer(body, "failure_threshold", b.failureThreshold(), ResilienceLimits::threshold),
                duration(body, "recovery_timeout", b.recoveryTimeout(), false),
                integer(body, "success_threshold", b.successThreshold(), ResilienceLimits::threshold));
        RetrySettings retry = new RetrySettings(
                integer(body, "max_retries", r.maxRetries(), ResilienceLimits::retries),
                duration(body, "base_delay", r.baseDelay(), false),
                duration(body, "max_delay", r.maxDelay(), false),
                number(body, "exponential_base", r.exponentialBase()),
                duration(body, "min_delay", r.minDelay(), false));
        ResilienceLimits.delays(retry.minDelay(), retry.maxDelay()).ifPresent(why -> {
            throw invalid("min_delay", why.replace("max-delay", "max_delay"));
        });
        Duration timeout = duration(body, "timeout", current.timeout(), true);
        return new ResiliencePolicy(breaker, retry, timeout);
    }

    /** The settings this API can change, in its own field names, for the log. */
    static String describe(ResiliencePolicy p) {
        return "failure_threshold=" + p.breaker().failureThreshold() + " recovery_timeout=" + p.breaker().recoveryTimeout().toMillis()
                + "ms success_threshold=" + p.breaker().successThreshold() + " timeout=" + (p.timeout() == null ? "none" : p.timeout().toMillis() + "ms")
                + " max_retries=" + p.retry().maxRetries() + " base_delay=" + p.retry().baseDelay().toMillis()
                + "ms max_delay=" + p.retry().maxDelay().toMillis() + "ms min_delay=" + p.retry().minDelay().toMillis()
                + "ms exponential_base=" + p.retry().exponentialBase();
    }

    private static int integer(ObjectNode body, String field, int current, LongFunction<Optional<String>> limit) {
        JsonNode v = body.get(field);
        if (v == null) {
            return current;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw invalid(field, "must be an integer, got " + v);
        }
        limit.apply(v.longValue()).ifPresent(why -> {
            throw invalid(field, why);
        });
        return v.intValue();
    }

    private static double number(ObjectNode body, String field, double current) {
        JsonNode v = body.get(field);
        if (v == null) {
            return current;
        }
        if (!v.isNumber()) {
            throw invalid(field, "must be a number, got " + v);
        }
        ResilienceLimits.exponentialBase(v.doubleValue()).ifPresent(why -> {
            throw invalid(field, why);
        });
        return v.doubleValue();
    }

    private static Duration duration(ObjectNode body, String field, Duration current, boolean positive) {
        JsonNode v = body.get(field);
        if (v == null) {
            return current;
        }
        Duration d;
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            d = Duration.ofMillis(v.longValue());
        } else if (v.isTextual() && !v.textValue().strip().matches("\\d+")) {
            try {
                d = DurationConverter.parseDuration(v.textValue().strip());
            } catch (RuntimeException e) {
                // Includes values too large for a Duration ("999999999999999d").
                d = null;
            }
        } else {
            d = null;
        }
        if (d == null) {
            throw invalid(field, "must be a duration such as \"30s\" or \"500ms\", or a number of milliseconds, got " + v);
        }
        ResilienceLimits.duration(d, positive).ifPresent(why -> {
            throw invalid(field, why);
        });
        return d;
    }

    private static ProblemException invalid(String field, String why) {
        return ProblemException.badRequest("field '" + field + "' " + why).with("field", field);
    }
}
