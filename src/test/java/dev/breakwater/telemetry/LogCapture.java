package dev.breakwater.telemetry;

import org.jboss.logmanager.ExtLogRecord;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Records every log record of a category while installed, with the MDC as it was when logged. */
public final class LogCapture extends Handler implements AutoCloseable {

    public record Entry(String category, String level, String message, Map<String, String> mdc) {
    }

    private static final List<String> FIELDS = List.of("service", "from", "to", "failure_count", "last_failure",
            "traceId", "spanId", "request_id", "endpoint", "status", "model_answered");

    private final Logger logger;
    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    private LogCapture(String category) {
        this.logger = Logger.getLogger(category);
        logger.addHandler(this);
    }

    public static LogCapture of(String category) {
        return new LogCapture(category);
    }

    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    @Override
    public void publish(LogRecord record) {
        ExtLogRecord ext = (ExtLogRecord) record;
        Map<String, String> mdc = new java.util.HashMap<>();
        FIELDS.forEach(f -> {
            String v = ext.getMdc(f);
            if (v != null) {
                mdc.put(f, v);
            }
        });
        entries.add(new Entry(ext.getLoggerName(), ext.getLevel().getName(), ext.getFormattedMessage(), mdc));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
