package dev.breakwater.secrets;

import org.jboss.logmanager.ExtLogRecord;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Cleans every record before a handler writes it: secrets masked and control characters escaped, in
 * the message and in any exception's messages, so a caller's input can neither forge log lines nor
 * smuggle a key into them. Part of the console's filter, {@link dev.breakwater.telemetry.ConsoleLogFilter}.
 */
public final class RedactingLogFilter implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        String formatted = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        String clean = Secrets.printable(formatted);
        if (formatted != null && !clean.equals(formatted) || record.getParameters() != null) {
            record.setParameters(null);
            record.setMessage(clean);
            if (record instanceof ExtLogRecord ext) {
                ext.setMessage(clean, ExtLogRecord.FormatStyle.NO_FORMAT);
            }
        }
        if (record.getThrown() != null && !(record.getThrown() instanceof CleanThrowable)) {
            record.setThrown(CleanThrowable.of(record.getThrown()));
        }
        return true;
    }

    /** A stand-in printing like the original (class, message, frames, causes) with its messages cleaned. */
    static final class CleanThrowable extends Throwable {
        private final String original;

        private CleanThrowable(Throwable t, CleanThrowable cause) {
            super(Secrets.printable(t.getMessage()), cause, false, true);
            this.original = t.getClass().getName();
            setStackTrace(t.getStackTrace());
        }

        static CleanThrowable of(Throwable t) {
            return of(t, 0);
        }

        /** Depth-capped: a cause cycle must not loop. */
        private static CleanThrowable of(Throwable t, int depth) {
            Throwable cause = t.getCause();
            return new CleanThrowable(t, cause == null || cause == t || depth >= 32 ? null : of(cause, depth + 1));
        }

        @Override
        public String toString() {
            String message = getMessage();
            return message == null ? original : original + ": " + message;
        }
    }
}
