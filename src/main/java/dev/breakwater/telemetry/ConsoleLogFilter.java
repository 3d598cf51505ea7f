package dev.breakwater.telemetry;

import dev.breakwater.secrets.RedactingLogFilter;
import io.quarkus.logging.LoggingFilter;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * The console handler takes one filter ({@code quarkus.log.console.filter=console}): this one drops the
 * known start-up noise, then cleans what is left of secrets and control characters.
 */
@LoggingFilter(name = "console")
public final class ConsoleLogFilter implements Filter {

    private final Filter noise = new KnownStartupNoise();
    private final Filter redact = new RedactingLogFilter();

    @Override
    public boolean isLoggable(LogRecord record) {
        return noise.isLoggable(record) && redact.isLoggable(record);
    }
}
