package dev.breakwater.telemetry;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The test chain with tracing on, spans exported at once to {@link InMemorySpans} and to nothing else
 * (no OTLP exporter dialling a collector that is not there). The primary is tried once, so a request
 * that fails over makes exactly two attempts.
 */
public class TracingProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.otel.sdk.disabled", "false",
                "quarkus.otel.exporter.otlp.enabled", "false",
                "quarkus.otel.simple", "true",
                "breakwater.models[0].retry.max-retries", "0");
    }
}
