package dev.breakwater.telemetry;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * An in-process span exporter as a CDI bean: Quarkus exports to every SpanExporter bean. Only
 * {@link TracingProfile} switches the SDK on; elsewhere it never sees a span.
 */
public class InMemorySpans {

    @Produces
    @Singleton
    InMemorySpanExporter exporter() {
        return InMemorySpanExporter.create();
    }
}
