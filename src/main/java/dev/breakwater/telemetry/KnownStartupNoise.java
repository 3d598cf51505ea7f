package dev.breakwater.telemetry;

import org.jboss.logmanager.ExtLogRecord;

import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * Drops two start-up warnings that come from libraries, say nothing about the gateway and cannot be
 * avoided from here; every other record of the same loggers still shows.
 * <ul>
 * <li>{@code redis.pool.*} "Gauge has been already registered": Quarkus 3.33 initialises the default
 * Redis client twice (once for the client beans, once for the data sources), keeps the first and
 * discards the second, whose connection pool registers the same Micrometer gauges again. The gauges
 * that stay are those of the client in use. (Quarkus 3.37 registers Vert.x pool gauges through a
 * builder that tolerates this; drop this case when upgrading.)</li>
 * <li>DJL's "Failed to detect GPU count": the tokenizer of the local model asks CUDA for GPUs each time it
 * picks its native library (twice), and warns when a CUDA runtime is installed without a driver. The
 * gateway ships the CPU builds of the tokenizer and ONNX runtime and never uses a GPU, and DJL offers no
 * switch to skip the probe (its only one, {@code ai.djl.util.cuda.fork}, starts a second JVM to ask).</li>
 * </ul>
 * Part of the console's filter, {@link ConsoleLogFilter}.
 */
public final class KnownStartupNoise implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        if (record.getLevel().intValue() != Level.WARNING.intValue()) {
            return true;
        }
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        if (message == null) {
            return true;
        }
        return switch (record.getLoggerName()) {
            case "io.micrometer.core.instrument.MeterRegistry" ->
                    !message.startsWith("This Gauge has been already registered (MeterId{name='redis.pool.");
            case "ai.djl.util.cuda.CudaUtils" -> !message.startsWith("Failed to detect GPU count");
            default -> true;
        };
    }
}
